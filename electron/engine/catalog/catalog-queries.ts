/**
 * The catalog queries behind every snapshot: one query per object kind, never one per object, so a snapshot costs the
 * same on ten tables as on ten thousand. Every column is text, a boolean or an ordinal cast to text, so the rows read
 * the same through `pg`, PGlite and a Prisma driver adapter (the shadow database is only reachable through one).
 * Names come back quoted as SQL needs them (`format('%I.%I')`), so reconcile SQL can use them as they are.
 */

/** User schemas: not PostgreSQL's own, not Godwit's. */
const USER_NS = `n.nspname NOT IN ('pg_catalog', 'information_schema', 'godwit') AND n.nspname NOT LIKE 'pg\\_%'`;

/** Objects an extension created belong to it, not to a migration. */
const notExtensionMember = (catalog: string, oid: string) =>
  `NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend dep WHERE dep.classid = '${catalog}'::regclass AND dep.objid = ${oid} AND dep.deptype = 'e')`;

/** Prisma's history table is bookkeeping, not schema, wherever it lives. */
const NOT_HISTORY = `c.relname <> '_prisma_migrations'`;

const REL = `format('%I.%I', n.nspname, c.relname)`;

/** Objects PostgreSQL made as part of another (a range type's constructor functions): they are not migrations' own. */
const notInternal = (catalog: string, oid: string) =>
  `NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend dep WHERE dep.classid = '${catalog}'::regclass AND dep.objid = ${oid} AND dep.deptype = 'i')`;

/** `(a 'x', b 'y')` from an options array (`{a=x,b=y}`); null when there are none. */
const optionList = (col: string) =>
  `(SELECT '(' || string_agg(format('%I %L', split_part(o, '=', 1), substr(o, strpos(o, '=') + 1)), ', ') || ')' FROM unnest(${col}) AS o)`;

export const CATALOG_QUERIES = {
  schemas: `
SELECT quote_ident(n.nspname) AS name, n.oid::int8::text AS ord
  FROM pg_catalog.pg_namespace n WHERE ${USER_NS} AND ${notExtensionMember('pg_namespace', 'n.oid')}`,

  extensions: `
SELECT quote_ident(e.extname) AS name, quote_ident(n.nspname) AS schema, e.extversion AS version, e.oid::int8::text AS ord
  FROM pg_catalog.pg_extension e JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace`,

  enums: `
SELECT format('%I.%I', n.nspname, t.typname) AS name, t.oid::int8::text AS ord,
       json_agg(e.enumlabel ORDER BY e.enumsortorder)::text AS labels
  FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
  JOIN pg_catalog.pg_enum e ON e.enumtypid = t.oid
 WHERE ${USER_NS} AND ${notExtensionMember('pg_type', 't.oid')}
 GROUP BY n.nspname, t.typname, t.oid`,

  domains: `
SELECT format('%I.%I', n.nspname, t.typname) AS name, t.oid::int8::text AS ord,
       pg_catalog.format_type(t.typbasetype, t.typtypmod) AS base, t.typnotnull AS notnull, t.typdefault AS def,
       CASE WHEN t.typcollation <> 0 AND t.typcollation <> bt.typcollation THEN (SELECT format('%I.%I', cn.nspname, co.collname)
         FROM pg_catalog.pg_collation co JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace WHERE co.oid = t.typcollation) END AS collation,
       (SELECT string_agg(format('CONSTRAINT %I %s', r.conname, pg_catalog.pg_get_constraintdef(r.oid, true)), ' ' ORDER BY r.conname)
          FROM pg_catalog.pg_constraint r WHERE r.contypid = t.oid AND r.contype <> 'n') AS checks
  FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
  JOIN pg_catalog.pg_type bt ON bt.oid = t.typbasetype
 WHERE t.typtype = 'd' AND ${USER_NS} AND ${notExtensionMember('pg_type', 't.oid')}`,

  composites: `
SELECT format('%I.%I', n.nspname, t.typname) AS name, t.oid::int8::text AS ord,
       (SELECT string_agg(format('%I %s', a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod)), ', ' ORDER BY a.attnum)
          FROM pg_catalog.pg_attribute a WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped) AS attrs
  FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
  JOIN pg_catalog.pg_class c ON c.oid = t.typrelid
 WHERE t.typtype = 'c' AND c.relkind = 'c' AND ${USER_NS} AND ${notExtensionMember('pg_type', 't.oid')}`,

  sequences: `
SELECT ${REL} AS name, c.oid::int8::text AS ord, pg_catalog.format_type(s.seqtypid, NULL) AS type,
       s.seqstart::text AS start, s.seqincrement::text AS increment, s.seqmin::text AS min, s.seqmax::text AS max,
       s.seqcache::text AS cache, s.seqcycle AS cycle,
       (SELECT format('%I.%I.%I', tn.nspname, tc.relname, ta.attname)
          FROM pg_catalog.pg_depend d JOIN pg_catalog.pg_class tc ON tc.oid = d.refobjid
          JOIN pg_catalog.pg_namespace tn ON tn.oid = tc.relnamespace
          JOIN pg_catalog.pg_attribute ta ON ta.attrelid = d.refobjid AND ta.attnum = d.refobjsubid
         WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'a' AND d.refobjsubid > 0 LIMIT 1) AS owned_by
  FROM pg_catalog.pg_sequence s JOIN pg_catalog.pg_class c ON c.oid = s.seqrelid
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
 WHERE ${USER_NS} AND ${notExtensionMember('pg_class', 'c.oid')}
   AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'i')`,

  tables: `
SELECT ${REL} AS name, c.oid::int8::text AS ord, c.relkind::text AS kind, c.relpersistence::text AS persistence,
       CASE WHEN c.relkind = 'p' THEN pg_catalog.pg_get_partkeydef(c.oid) END AS partkey,
       CASE WHEN c.relispartition THEN (SELECT format('%I.%I', pn.nspname, pc.relname) FROM pg_catalog.pg_inherits i
         JOIN pg_catalog.pg_class pc ON pc.oid = i.inhparent JOIN pg_catalog.pg_namespace pn ON pn.oid = pc.relnamespace
         WHERE i.inhrelid = c.oid) END AS parent,
       CASE WHEN c.relispartition THEN pg_catalog.pg_get_expr(c.relpartbound, c.oid) END AS bound,
       c.relrowsecurity AS rls, c.relforcerowsecurity AS rls_forced
  FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
 WHERE c.relkind IN ('r', 'p') AND ${USER_NS} AND ${NOT_HISTORY} AND ${notExtensionMember('pg_class', 'c.oid')}`,

  columns: `
SELECT ${REL} AS tbl, quote_ident(a.attname) AS name, a.attnum::text AS ord,
       pg_catalog.format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS notnull,
       pg_catalog.pg_get_expr(d.adbin, d.adrelid) AS def, a.attidentity::text AS identity, a.attgenerated::text AS generated,
       NOT a.attislocal AS inherited,
       CASE WHEN a.attcollation <> 0 AND a.attcollation <> t.typcollation THEN (SELECT format('%I.%I', cn.nspname, co.collname)
         FROM pg_catalog.pg_collation co JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace WHERE co.oid = a.attcollation) END AS collation
  FROM pg_catalog.pg_attribute a
  JOIN pg_catalog.pg_class c ON c.oid = a.attrelid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
  LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
 WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p') AND ${USER_NS} AND ${NOT_HISTORY}`,

  constraints: `
SELECT ${REL} AS tbl, quote_ident(r.conname) AS name, r.oid::int8::text AS ord, r.contype::text AS type,
       pg_catalog.pg_get_constraintdef(r.oid, true) AS def, NOT r.conislocal AS inherited
  FROM pg_catalog.pg_constraint r JOIN pg_catalog.pg_class c ON c.oid = r.conrelid
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
 WHERE r.contype IN ('c', 'f', 'p', 'u', 'x') AND r.conparentid = 0 AND ${USER_NS} AND ${NOT_HISTORY}`,

  indexes: `
SELECT format('%I.%I', n.nspname, ic.relname) AS name, ${REL} AS tbl, ic.oid::int8::text AS ord,
       pg_catalog.pg_get_indexdef(i.indexrelid, 0, true) AS def
  FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
  JOIN pg_catalog.pg_class c ON c.oid = i.indrelid JOIN pg_catalog.pg_namespace n ON n.oid = ic.relnamespace
 WHERE ${USER_NS} AND ${NOT_HISTORY} AND c.relkind IN ('r', 'p', 'm')
   AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint r WHERE r.conindid = i.indexrelid AND r.conrelid = i.indrelid AND r.contype IN ('p', 'u', 'x'))
   AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_inherits h WHERE h.inhrelid = i.indexrelid)
   AND ${notExtensionMember('pg_class', 'ic.oid')}`,

  ranges: `
SELECT format('%I.%I', n.nspname, t.typname) AS name, t.oid::int8::text AS ord,
       pg_catalog.format_type(r.rngsubtype, NULL) AS subtype,
       CASE WHEN NOT oc.opcdefault THEN format('%I.%I', ocn.nspname, oc.opcname) END AS opclass,
       CASE WHEN r.rngcollation <> 0 AND r.rngcollation <> st.typcollation THEN (SELECT format('%I.%I', cn.nspname, co.collname)
         FROM pg_catalog.pg_collation co JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace WHERE co.oid = r.rngcollation) END AS collation,
       CASE WHEN r.rngcanonical <> 0 THEN r.rngcanonical::regproc::text END AS canonical,
       CASE WHEN r.rngsubdiff <> 0 THEN r.rngsubdiff::regproc::text END AS subdiff
  FROM pg_catalog.pg_range r JOIN pg_catalog.pg_type t ON t.oid = r.rngtypid
  JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace JOIN pg_catalog.pg_type st ON st.oid = r.rngsubtype
  JOIN pg_catalog.pg_opclass oc ON oc.oid = r.rngsubopc JOIN pg_catalog.pg_namespace ocn ON ocn.oid = oc.opcnamespace
 WHERE ${USER_NS} AND ${notExtensionMember('pg_type', 't.oid')}`,

  wrappers: `
SELECT quote_ident(w.fdwname) AS name, w.oid::int8::text AS ord,
       CASE WHEN w.fdwhandler <> 0 THEN w.fdwhandler::regproc::text END AS handler,
       CASE WHEN w.fdwvalidator <> 0 THEN w.fdwvalidator::regproc::text END AS validator, ${optionList('w.fdwoptions')} AS options
  FROM pg_catalog.pg_foreign_data_wrapper w WHERE ${notExtensionMember('pg_foreign_data_wrapper', 'w.oid')}`,

  servers: `
SELECT quote_ident(s.srvname) AS name, s.oid::int8::text AS ord, quote_ident(w.fdwname) AS wrapper,
       s.srvtype AS type, s.srvversion AS version, ${optionList('s.srvoptions')} AS options
  FROM pg_catalog.pg_foreign_server s JOIN pg_catalog.pg_foreign_data_wrapper w ON w.oid = s.srvfdw
 WHERE ${notExtensionMember('pg_foreign_server', 's.oid')}`,

  foreignTables: `
SELECT ${REL} AS name, c.oid::int8::text AS ord, quote_ident(s.srvname) AS server, ${optionList('ft.ftoptions')} AS options,
       (SELECT string_agg(format('%I %s%s', a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod), CASE WHEN a.attnotnull THEN ' NOT NULL' ELSE '' END), ', ' ORDER BY a.attnum)
          FROM pg_catalog.pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped) AS columns
  FROM pg_catalog.pg_foreign_table ft JOIN pg_catalog.pg_class c ON c.oid = ft.ftrelid
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace JOIN pg_catalog.pg_foreign_server s ON s.oid = ft.ftserver
 WHERE ${USER_NS} AND ${notExtensionMember('pg_class', 'c.oid')}`,

  views: `
SELECT ${REL} AS name, c.oid::int8::text AS ord, c.relkind::text AS kind, pg_catalog.pg_get_viewdef(c.oid) AS def,
       array_to_string(c.reloptions, ', ') AS options,
       -- The columns it reads ([relation, column]): a type change of one of them must drop and re-create it.
       (SELECT json_agg(DISTINCT jsonb_build_array(format('%I.%I', dn.nspname, dc.relname), da.attname))::text
          FROM pg_catalog.pg_rewrite rw
          JOIN pg_catalog.pg_depend d ON d.classid = 'pg_catalog.pg_rewrite'::regclass AND d.objid = rw.oid
           AND d.refclassid = 'pg_catalog.pg_class'::regclass AND d.refobjsubid > 0 AND d.refobjid <> c.oid
          JOIN pg_catalog.pg_class dc ON dc.oid = d.refobjid JOIN pg_catalog.pg_namespace dn ON dn.oid = dc.relnamespace
          JOIN pg_catalog.pg_attribute da ON da.attrelid = dc.oid AND da.attnum = d.refobjsubid
         WHERE rw.ev_class = c.oid) AS uses
  FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
 WHERE c.relkind IN ('v', 'm') AND ${USER_NS} AND ${notExtensionMember('pg_class', 'c.oid')}`,

  functions: `
SELECT format('%I.%I(%s)', n.nspname, p.proname, pg_catalog.oidvectortypes(p.proargtypes)) AS name,
       p.oid::int8::text AS ord, p.prokind::text AS kind, pg_catalog.pg_get_functiondef(p.oid) AS def
  FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
 WHERE p.prokind IN ('f', 'p') AND ${USER_NS} AND ${notExtensionMember('pg_proc', 'p.oid')}
   -- A range type's constructors come and go with the type.
   AND ${notInternal('pg_proc', 'p.oid')}`,

  triggers: `
SELECT ${REL} AS tbl, quote_ident(g.tgname) AS name, g.oid::int8::text AS ord, pg_catalog.pg_get_triggerdef(g.oid) AS def,
       g.tgenabled::text AS enabled
  FROM pg_catalog.pg_trigger g JOIN pg_catalog.pg_class c ON c.oid = g.tgrelid
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
 WHERE NOT g.tgisinternal AND g.tgparentid = 0 AND ${USER_NS} AND ${NOT_HISTORY}`,

  rules: `
SELECT format('%I.%I', r.schemaname, r.tablename) AS tbl, quote_ident(r.rulename) AS name, r.definition AS def
  FROM pg_catalog.pg_rules r WHERE r.schemaname NOT IN ('pg_catalog', 'information_schema', 'godwit') AND r.schemaname NOT LIKE 'pg\\_%'`,

  eventTriggers: `
SELECT quote_ident(e.evtname) AS name, e.oid::int8::text AS ord, e.evtevent AS event, e.evtenabled::text AS enabled,
       (SELECT string_agg(quote_literal(tag), ', ' ORDER BY tag) FROM unnest(e.evttags) AS tag) AS tags,
       format('%I.%I', n.nspname, p.proname) AS func
  FROM pg_catalog.pg_event_trigger e JOIN pg_catalog.pg_proc p ON p.oid = e.evtfoid JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
 WHERE ${notExtensionMember('pg_event_trigger', 'e.oid')}`,

  publications: `
SELECT quote_ident(p.pubname) AS name, p.oid::int8::text AS ord, p.puballtables AS alltables,
       concat_ws(', ', CASE WHEN p.pubinsert THEN 'insert' END, CASE WHEN p.pubupdate THEN 'update' END,
         CASE WHEN p.pubdelete THEN 'delete' END, CASE WHEN p.pubtruncate THEN 'truncate' END) AS publish,
       p.pubviaroot AS viaroot,
       (SELECT string_agg(format('%I.%I', t.schemaname, t.tablename), ', ' ORDER BY t.schemaname, t.tablename)
          FROM pg_catalog.pg_publication_tables t WHERE t.pubname = p.pubname AND NOT p.puballtables) AS tables
  FROM pg_catalog.pg_publication p`,

  policies: `
SELECT format('%I.%I', p.schemaname, p.tablename) AS tbl, quote_ident(p.policyname) AS name, p.permissive AS permissive,
       array_to_string(p.roles, ', ') AS roles, p.cmd AS cmd, p.qual AS qual, p.with_check AS with_check
  FROM pg_catalog.pg_policies p WHERE p.schemaname NOT IN ('godwit')`,

  comments: `
SELECT CASE c.relkind WHEN 'r' THEN 'TABLE' WHEN 'p' THEN 'TABLE' WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW'
         WHEN 'S' THEN 'SEQUENCE' WHEN 'i' THEN 'INDEX' WHEN 'I' THEN 'INDEX' WHEN 'f' THEN 'FOREIGN TABLE' WHEN 'c' THEN 'TYPE' END
         || ' ' || ${REL} AS target, d.description AS text
  FROM pg_catalog.pg_description d JOIN pg_catalog.pg_class c ON d.classoid = 'pg_class'::regclass AND c.oid = d.objoid AND d.objsubid = 0
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE ${USER_NS} AND ${NOT_HISTORY}
UNION ALL
SELECT 'COLUMN ' || ${REL} || '.' || quote_ident(a.attname), d.description
  FROM pg_catalog.pg_description d JOIN pg_catalog.pg_class c ON d.classoid = 'pg_class'::regclass AND c.oid = d.objoid
  JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum = d.objsubid AND d.objsubid > 0
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE ${USER_NS} AND ${NOT_HISTORY}
UNION ALL
SELECT CASE p.prokind WHEN 'p' THEN 'PROCEDURE ' ELSE 'FUNCTION ' END
         || format('%I.%I(%s)', n.nspname, p.proname, pg_catalog.oidvectortypes(p.proargtypes)), d.description
  FROM pg_catalog.pg_description d JOIN pg_catalog.pg_proc p ON d.classoid = 'pg_proc'::regclass AND p.oid = d.objoid
  JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace WHERE ${USER_NS} AND ${notExtensionMember('pg_proc', 'p.oid')}
UNION ALL
SELECT CASE t.typtype WHEN 'd' THEN 'DOMAIN ' ELSE 'TYPE ' END || format('%I.%I', n.nspname, t.typname), d.description
  FROM pg_catalog.pg_description d JOIN pg_catalog.pg_type t ON d.classoid = 'pg_type'::regclass AND t.oid = d.objoid
  JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace WHERE ${USER_NS} AND ${notExtensionMember('pg_type', 't.oid')}
UNION ALL
SELECT 'SCHEMA ' || quote_ident(n.nspname), d.description
  FROM pg_catalog.pg_description d JOIN pg_catalog.pg_namespace n ON d.classoid = 'pg_namespace'::regclass AND n.oid = d.objoid
 -- initdb's comment on public: a shadow Prisma resets (DROP SCHEMA public CASCADE; CREATE SCHEMA public) lacks it.
 WHERE ${USER_NS} AND NOT (n.nspname = 'public' AND d.description = 'standard public schema')
UNION ALL
SELECT 'CONSTRAINT ' || quote_ident(r.conname) || ' ON ' || CASE WHEN r.contypid <> 0 THEN 'DOMAIN ' || format('%I.%I', n.nspname, t.typname) ELSE ${REL} END,
       d.description
  FROM pg_catalog.pg_description d JOIN pg_catalog.pg_constraint r ON d.classoid = 'pg_constraint'::regclass AND r.oid = d.objoid
  LEFT JOIN pg_catalog.pg_class c ON c.oid = r.conrelid LEFT JOIN pg_catalog.pg_type t ON t.oid = r.contypid
  JOIN pg_catalog.pg_namespace n ON n.oid = coalesce(c.relnamespace, t.typnamespace) WHERE ${USER_NS}
UNION ALL
SELECT 'TRIGGER ' || quote_ident(g.tgname) || ' ON ' || ${REL}, d.description
  FROM pg_catalog.pg_description d JOIN pg_catalog.pg_trigger g ON d.classoid = 'pg_trigger'::regclass AND g.oid = d.objoid
  JOIN pg_catalog.pg_class c ON c.oid = g.tgrelid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE ${USER_NS}
UNION ALL
SELECT 'POLICY ' || quote_ident(o.polname) || ' ON ' || ${REL}, d.description
  FROM pg_catalog.pg_description d JOIN pg_catalog.pg_policy o ON d.classoid = 'pg_policy'::regclass AND o.oid = d.objoid
  JOIN pg_catalog.pg_class c ON c.oid = o.polrelid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE ${USER_NS}`,

  grants: `
SELECT CASE c.relkind WHEN 'S' THEN 'SEQUENCE ' ELSE 'TABLE ' END || ${REL} AS target, array_to_string(c.relacl, ', ') AS acl
  FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
 WHERE c.relacl IS NOT NULL AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') AND ${USER_NS} AND ${NOT_HISTORY}
UNION ALL
SELECT CASE p.prokind WHEN 'p' THEN 'PROCEDURE ' ELSE 'FUNCTION ' END
         || format('%I.%I(%s)', n.nspname, p.proname, pg_catalog.oidvectortypes(p.proargtypes)), array_to_string(p.proacl, ', ')
  FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
 WHERE p.proacl IS NOT NULL AND ${USER_NS} AND ${notExtensionMember('pg_proc', 'p.oid')}
UNION ALL
SELECT 'SCHEMA ' || quote_ident(n.nspname), array_to_string(n.nspacl, ', ')
  FROM pg_catalog.pg_namespace n WHERE n.nspacl IS NOT NULL AND ${USER_NS}`,
} as const;

export type CatalogQueryName = keyof typeof CATALOG_QUERIES;
