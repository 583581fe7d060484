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
