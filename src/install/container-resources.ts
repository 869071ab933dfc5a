/** CPU and memory for a container, as Kubernetes quantities (`500m`, `2Gi`). */
export interface ContainerResources {
  /** CPU request, e.g. `500m`. @default - the chart default */
  readonly cpuRequest?: string;
  /** Memory request, e.g. `2Gi`. @default - the chart default */
  readonly memoryRequest?: string;
  /** CPU limit. @default - none */
  readonly cpuLimit?: string;
  /** Memory limit. @default - none */
  readonly memoryLimit?: string;
}

