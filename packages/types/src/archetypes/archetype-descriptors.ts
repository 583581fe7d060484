import type { ComponentDescriptor } from "../component-descriptor.ts";

/** Builds the descriptor of `Archetype:field` as Rerun writes it. */
export function descriptor(archetype: string, field: string, componentType: string): ComponentDescriptor {
  return {
    component: `${archetype}:${field}`,
    archetype: `rerun.archetypes.${archetype}`,
    componentType: `rerun.components.${componentType}`,
  };
}
