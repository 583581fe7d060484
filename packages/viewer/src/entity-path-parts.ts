import { EntityPath } from "@iris/types";

/** "/a/b/c" → ["/a", "/a/b", "/a/b/c"], split by Rerun's rules (`/a\/b` is one part). */
export function entityPathPrefixes(entityPath: string): string[] {
  const parts = EntityPath.parse(entityPath).parts;
  return parts.map((_, i) => new EntityPath(parts.slice(0, i + 1)).toString());
}

/** The parent entity (`/` for a top-level entity or the root), by Rerun's escaping rules. */
export function entityParent(entityPath: string): string {
  return EntityPath.parse(entityPath).parent()?.toString() ?? "/";
}

/** The deepest common ancestor of `paths` (`/` when there is none), comparing whole parts. */
export function commonEntityAncestor(paths: readonly string[]): string {
  if (paths.length === 0) return "/";
  let parts = EntityPath.parse(paths[0]!).parts;
  for (const path of paths.slice(1)) {
    const other = EntityPath.parse(path).parts;
    let n = 0;
    while (n < parts.length && n < other.length && parts[n] === other[n]) n++;
    parts = parts.slice(0, n);
  }
  return new EntityPath(parts).toString();
}

/** The last part of an entity path, unescaped, as an entity tree shows it (`/a\/b` → `a/b`; the root → `/`). */
export function entityName(entityPath: string): string {
  return EntityPath.parse(entityPath).parts.at(-1) ?? "/";
}
