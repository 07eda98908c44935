/**
 * Where the package's own files are. The compiled code sits one folder below the package
 * (`dist/`, flat when bundled), so the package root is one step up from any of its modules.
 */
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

export const PACKAGE_ROOT = fileURLToPath(new URL('../', import.meta.url));

/** A file or folder of the package: packagePath('data', 'campaign.yaml'). */
export const packagePath = (...parts: string[]) => join(PACKAGE_ROOT, ...parts);
