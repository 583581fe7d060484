import { type DataType, type Field, Type } from "apache-arrow";

/**
 * A canonical text for an Arrow type including nested field names and nullability — the parts Rerun's viewer
 * compares when it decides whether a column can be visualised (rrd-format.md §5.1).
 */
export function arrowTypeSignature(type: DataType): string {
  const children = (type.children ?? []) as Field[];
  const fields = children
    .map((f) => `${f.name}${f.nullable ? "?" : ""}: ${arrowTypeSignature(f.type)}`)
    .join(", ");
  switch (type.typeId) {
    case Type.List:
      return `List<${fields}>`;
    case Type.FixedSizeList:
      return `FixedSizeList[${(type as unknown as { listSize: number }).listSize}]<${fields}>`;
    case Type.Struct:
      return `Struct<${fields}>`;
    default:
      return String(type);
  }
}
