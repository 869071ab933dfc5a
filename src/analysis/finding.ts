/** How serious a finding is. */
export enum FindingSeverity {
  /** Istio would reject or misroute: synthesis fails. */
  ERROR = 'ERROR',
  /** Probably not what was meant: printed, synthesis continues. */
  WARNING = 'WARNING',
}

/** One result of the mesh analysis. */
export interface Finding {
  /** Istio's analyzer code (`IST0101`) or ours (`CDK8SISTIO001`). */
  readonly code: string;
  /** Severity. */
  readonly severity: FindingSeverity;
  /** `Kind namespace/name`. */
  readonly resource: string;
  /** Construct path of the object. */
  readonly path: string;
  /** What is wrong and how to fix it. */
  readonly message: string;
}
