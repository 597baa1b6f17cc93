// The terminal app's version, from package.json: told to the server at every connection so head
// office sees which screens run what.
import packageJson from '../../package.json' with { type: 'json' };

export const APP_VERSION: string = packageJson.version;
