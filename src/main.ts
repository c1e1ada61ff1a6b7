// Wiring: creates the services and mounts the app. The UI arrives with the app issue.
document.querySelector('kmp-app')!.textContent = 'kmp-web';
