/**
 * Istio's per-resource suppression annotation for `istioctl analyze` (and our
 * analysis): a comma-separated list of codes, or `*`.
 */
export const SUPPRESS_ANNOTATION = 'galley.istio.io/analyze-suppress';
