/**
 * Kept for existing importers: the snapshot is engine/catalog's (one snapshot code path). New code imports
 * readCatalog from '../catalog/read-catalog.ts' directly.
 */
export { readCatalog as readSchemaSnapshot } from '../catalog/read-catalog.ts';
export type { CatalogSnapshot as SchemaSnapshot } from '../catalog/types.ts';

export interface ColumnShape {
  type: string;
  notNull: boolean;
  default: string | null;
}
