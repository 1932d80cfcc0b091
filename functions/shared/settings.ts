import { type SettingName, settings } from '../../lib/definition';

/** A setting's value from the function's environment, else its default from the definition. */
export const setting = (name: SettingName): string => {
  const value = process.env[settings[name].env];
  return value === undefined || value === '' ? settings[name].default : value;
};

export const numberSetting = (name: SettingName): number => {
  const value = Number(setting(name));
  if (!Number.isFinite(value)) throw new Error(`setting ${name} (${settings[name].env}) is not a number`);
  return value;
};

/** A required environment variable holding a resource name; fails at cold start when missing. */
export const requiredEnv = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`environment variable ${name} is not set`);
  return value;
};
