/** The settings record of "Send to Home Assistant"; its own module so MeterApp reads it without loading the rest. */
export const HA_SETTING_KEY = 'home-assistant';
