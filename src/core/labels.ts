/** Label reading shared by the intents and the mesh analysis (not part of the API). */

/** The label that makes an object (a Service, a namespace's Services) use a waypoint. */
export const WAYPOINT_LABEL = 'istio.io/use-waypoint';
/** The namespace of that waypoint, when it is not the object's own. */
export const WAYPOINT_NAMESPACE_LABEL = 'istio.io/use-waypoint-namespace';

/** A waypoint by name, as a label names it. */
export interface WaypointName {
  readonly name: string;
  readonly namespace: string;
}

/** Whether pods carrying `labels` are selected by `selector` (every selector label present with its value). */
export function selects(selector: { [key: string]: string }, labels: { [key: string]: string }): boolean {
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

/**
 * The waypoint an object's own labels name, as istiod reads them: undefined without the label,
 * null for `none` (opted out), else the name in the label's namespace or the object's.
 */
export function labelledWaypoint(labels: { [key: string]: string | undefined }, namespace: string): WaypointName | null | undefined {
  const name = labels[WAYPOINT_LABEL];
  if (name === undefined) return undefined;
  return name === 'none' ? null : { name, namespace: labels[WAYPOINT_NAMESPACE_LABEL] ?? namespace };
}
