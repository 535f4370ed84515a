import { lazyModule } from '../../lib/lazy-module.js';

/**
 * sharp (libvips), loaded with the first image upload or thumb: it alone adds about 28 MB to
 * the resident memory of a process that has loaded it.
 */
export const loadSharp = lazyModule(async () => (await import('sharp')).default);
