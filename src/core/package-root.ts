import * as path from 'path';

/**
 * The package's root directory: this file is `src/core/` in a checkout and
 * `lib/core/` in the npm package, and both sit beside `.jsii`, `crds/` and
 * `.validator/`.
 * @internal
 */
export const PACKAGE_ROOT = path.join(__dirname, '..', '..');
