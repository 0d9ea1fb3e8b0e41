/** The per-table compare's side for what the migrations folder produces (engine/catalog/table-migration.ts). */
export const MIGRATIONS_SIDE = '@migrations';

/** How a side is named on screen: an environment by its name, the folder as "migrations". */
export const sideLabel = (side: string) => (side === MIGRATIONS_SIDE ? 'migrations' : side);
