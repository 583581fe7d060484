/**
 * True when `entityPath` matches one of `filters`: an exact path (`/world/camera`), or a subtree
 * `/world/**` (the path `/world` itself and everything below it; `/**` matches every entity).
 */
export function matchesEntityFilter(entityPath: string, filters: readonly string[]): boolean {
  return filters.some((filter) => {
    if (!filter.endsWith("/**")) return filter === entityPath;
    const prefix = filter.slice(0, -3);
    if (prefix === "") return true;
    return entityPath === prefix || entityPath.startsWith(`${prefix}/`);
  });
}

/** Where Rerun keeps recording properties (`EntityPath::properties()`). */
export const PROPERTIES_ENTITY = "/__properties";

/** True for `/__properties` and the paths below it. */
export function isPropertiesPath(entityPath: string): boolean {
  return entityPath === PROPERTIES_ENTITY || entityPath.startsWith(`${PROPERTIES_ENTITY}/`);
}

/**
 * Rerun's resolved entity filters exclude `/__properties/**` by default (`ResolvedEntityPathFilter`): recording
 * properties are only selected by a filter inside that subtree, never by `/**` or by no filter at all.
 */
export function selectsEntity(entityPath: string, filters: readonly string[] | undefined): boolean {
  if (isPropertiesPath(entityPath)) {
    return (filters ?? []).some(
      (f) => isPropertiesPath(f.endsWith("/**") ? f.slice(0, -3) : f) && matchesEntityFilter(entityPath, [f]),
    );
  }
  return filters === undefined || matchesEntityFilter(entityPath, filters);
}
