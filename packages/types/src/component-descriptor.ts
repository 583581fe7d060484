/**
 * Identifies a component column the way Rerun does (`rerun:component`, `rerun:archetype`,
 * `rerun:component_type` field metadata), e.g. `Image:buffer` / `rerun.archetypes.Image` /
 * `rerun.components.ImageBuffer`.
 */
export interface ComponentDescriptor {
  readonly component: string;
  readonly archetype?: string;
  readonly componentType?: string;
}
