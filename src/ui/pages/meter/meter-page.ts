/**
 * The Meter page's elements, loaded as one module. The shell draws its header and tabs before
 * this arrives (src/ui/kmp-app.ts), while this and the app layer load side by side.
 */
import '../../components/kmp-connect-panel.ts';
import './kmp-identity-card.ts';
import './kmp-readings-view.ts';
