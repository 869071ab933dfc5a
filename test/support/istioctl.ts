import { builtTool } from './built-tool';

/** The istioctl binary (built once by scripts/istioctl.sh), or undefined when it cannot be had here (never in CI). */
export function istioctl(): string | undefined {
  return builtTool('istioctl.sh');
}

/** `test` when istioctl is available, otherwise a skipped test (never in CI). */
export function withIstioctl(): jest.It {
  return istioctl() ? test : test.skip;
}
