/** psql 15's query for a relation's publications; servers before 15 have neither schema publications nor filters. */
function publicationsSql(list: string, serverVersion: number): string {
  if (serverVersion < 150000) {
    return `
SELECT pr.prrelid::int8 AS relid, p.pubname AS name, NULL AS rowfilter, NULL AS columns
  FROM pg_catalog.pg_publication p JOIN pg_catalog.pg_publication_rel pr ON p.oid = pr.prpubid
 WHERE pr.prrelid = ANY(${list})
UNION ALL
SELECT o.relid::int8, p.pubname, NULL, NULL
  FROM pg_catalog.unnest(${list}) AS o(relid), pg_catalog.pg_publication p
 WHERE p.puballtables AND pg_catalog.pg_relation_is_publishable(o.relid)
 ORDER BY 1, 2;`;
  }
  return `
SELECT pc.oid::int8 AS relid, p.pubname AS name, NULL AS rowfilter, NULL AS columns
  FROM pg_catalog.pg_publication p
  JOIN pg_catalog.pg_publication_namespace pn ON p.oid = pn.pnpubid
  JOIN pg_catalog.pg_class pc ON pc.relnamespace = pn.pnnspid
 WHERE pc.oid = ANY(${list}) AND pg_catalog.pg_relation_is_publishable(pc.oid)
UNION
SELECT pr.prrelid::int8, p.pubname, pg_catalog.pg_get_expr(pr.prqual, pr.prrelid),
       CASE WHEN pr.prattrs IS NOT NULL THEN
         (SELECT pg_catalog.string_agg(attname, ', ')
            FROM pg_catalog.generate_series(0, pg_catalog.array_upper(pr.prattrs::pg_catalog.int2[], 1)) s, pg_catalog.pg_attribute
           WHERE attrelid = pr.prrelid AND attnum = prattrs[s]) END
  FROM pg_catalog.pg_publication p JOIN pg_catalog.pg_publication_rel pr ON p.oid = pr.prpubid
 WHERE pr.prrelid = ANY(${list})
UNION
SELECT o.relid::int8, p.pubname, NULL, NULL
  FROM pg_catalog.unnest(${list}) AS o(relid), pg_catalog.pg_publication p
 WHERE p.puballtables AND pg_catalog.pg_relation_is_publishable(o.relid)
 ORDER BY 1, 2;`;
}

/** The batch's statements, in order: what each result set holds. */
export const DESCRIBE_SECTIONS = [
  'main', 'cols', 'idx', 'checks', 'fks', 'refs', 'pols', 'trigs', 'parents', 'children', 'seqs', 'idxOwner', 'stats', 'rules', 'pubs', 'foreign',
] as const;
export type DescribeSection = (typeof DESCRIBE_SECTIONS)[number];

/**
 * The catalog queries behind `\d`, for many relations at once: each is filtered by `= ANY(<oids>)`, so describing one
 * relation or fifty costs the same two round trips (find the relations, then this batch). Only the sections `wanted`
 * are sent: in a fresh session every catalog a query opens costs the server ~0.2–1 ms, and most relations have no
 * rules, sequence or index facts, foreign server or children to find.
 */
export function describeBatchSql(oids: number[], serverVersion: number, wanted: (section: DescribeSection) => boolean = () => true, tablespaces = true, descriptions = true): string {
  const statements = allStatements(oids, serverVersion, tablespaces, descriptions).split(/;\n/).map((s) => s.trim()).filter(Boolean);
  if (statements.length !== DESCRIBE_SECTIONS.length) throw new Error(`describe batch: ${statements.length} statements for ${DESCRIBE_SECTIONS.length} sections`);
  return statements.filter((_, i) => wanted(DESCRIBE_SECTIONS[i]!)).map((s) => `${s};\n`).join('');
}

/**
 * `tablespaces` false: none of the relations or their indexes has one of its own, and pg_tablespace is not read.
 * `descriptions` false: comments are not read (psql's \d without + shows none; pg_description costs a fresh session
 * ~0.8 ms).
 */
function allStatements(oids: number[], serverVersion: number, tablespaces: boolean, descriptions: boolean): string {
  const list = `'{${oids.join(',')}}'::pg_catalog.oid[]`;
  const spcname = (alias: string) => (tablespaces ? `${alias}.spcname` : 'NULL::name');
  const joinTablespace = (alias: string, of: string) => (tablespaces ? `LEFT JOIN pg_catalog.pg_tablespace ${alias} ON ${alias}.oid = ${of}.reltablespace` : '');
  return `
SELECT c.oid::int8 AS relid, c.relkind::text AS relkind, c.relpersistence::text AS persistence,
       c.relrowsecurity AS rowsecurity, c.relforcerowsecurity AS forcerowsecurity, c.relispartition AS ispartition,
       pg_catalog.array_to_string(c.reloptions || array(select 'toast.' || x from pg_catalog.unnest(tc.reloptions) x), ', ') AS options,
       ${spcname('ts')} AS tablespace,
       CASE WHEN c.reloftype = 0 THEN NULL ELSE c.reloftype::pg_catalog.regtype::pg_catalog.text END AS typedtableof,
       c.relreplident::text AS replident, am.amname AS accessmethod,
       CASE WHEN c.relkind = 'p' THEN pg_catalog.pg_get_partkeydef(c.oid) END AS partkey,
       CASE WHEN c.relispartition THEN pg_catalog.pg_get_expr(c.relpartbound, c.oid) END AS partbound,
       CASE WHEN c.relispartition THEN pg_catalog.pg_get_partition_constraintdef(c.oid) END AS partconstraint,
       CASE WHEN c.relkind IN ('v', 'm') THEN pg_catalog.pg_get_viewdef(c.oid, true) END AS viewdef,
       ${descriptions ? "pg_catalog.obj_description(c.oid, 'pg_class')" : 'NULL::text'} AS description,
       CASE WHEN c.relkind = 't' THEN
         (SELECT tn.nspname || '.' || t.relname FROM pg_catalog.pg_class t JOIN pg_catalog.pg_namespace tn ON tn.oid = t.relnamespace
           WHERE t.reltoastrelid = c.oid) END AS owningtable
  FROM pg_catalog.pg_class c
  LEFT JOIN pg_catalog.pg_class tc ON c.reltoastrelid = tc.oid
  LEFT JOIN pg_catalog.pg_am am ON c.relam = am.oid
  ${joinTablespace('ts', 'c')}
 WHERE c.oid = ANY(${list});

SELECT a.attrelid::int8 AS relid, a.attnum, a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod) AS type,
       (SELECT pg_catalog.pg_get_expr(d.adbin, d.adrelid, true) FROM pg_catalog.pg_attrdef d
         WHERE d.adrelid = a.attrelid AND d.adnum = a.attnum AND a.atthasdef) AS defexpr,
       a.attnotnull AS notnull,
       (SELECT co.collname FROM pg_catalog.pg_collation co, pg_catalog.pg_type t
         WHERE co.oid = a.attcollation AND t.oid = a.atttypid AND a.attcollation <> t.typcollation) AS collation,
       a.attidentity::text AS identity, a.attgenerated::text AS generated, a.attstorage::text AS storage,
       a.attcompression::text AS compression,
       CASE WHEN a.attstattarget = -1 THEN NULL ELSE a.attstattarget END AS stattarget,
       ${descriptions ? 'pg_catalog.col_description(a.attrelid, a.attnum)' : 'NULL::text'} AS description,
       CASE WHEN i.indexrelid IS NOT NULL THEN pg_catalog.pg_get_indexdef(a.attrelid, a.attnum, true) END AS indexdef,
       CASE WHEN i.indexrelid IS NOT NULL THEN a.attnum <= i.indnkeyatts END AS iskey,
       CASE WHEN a.attfdwoptions IS NULL THEN '' ELSE
         '(' || pg_catalog.array_to_string(ARRAY(SELECT pg_catalog.quote_ident(option_name) || ' ' || pg_catalog.quote_literal(option_value)
                                                 FROM pg_catalog.pg_options_to_table(a.attfdwoptions)), ', ') || ')' END AS fdwoptions
  FROM pg_catalog.pg_attribute a
  LEFT JOIN pg_catalog.pg_index i ON i.indexrelid = a.attrelid
 WHERE a.attrelid = ANY(${list}) AND a.attnum > 0 AND NOT a.attisdropped
 ORDER BY a.attrelid, a.attnum;

SELECT i.indrelid::int8 AS relid, c2.relname AS name, i.indisprimary AS isprimary, i.indisunique AS isunique,
       i.indisclustered AS isclustered, i.indisvalid AS isvalid, pg_catalog.pg_get_indexdef(i.indexrelid, 0, true) AS indexdef,
       pg_catalog.pg_get_constraintdef(con.oid, true) AS condef, con.contype::text AS contype,
       coalesce(con.condeferrable, false) AS deferrable, coalesce(con.condeferred, false) AS deferred,
       i.indisreplident AS isreplident, ${spcname('its')} AS tablespace
  FROM pg_catalog.pg_index i
  JOIN pg_catalog.pg_class c2 ON c2.oid = i.indexrelid
  ${joinTablespace('its', 'c2')}
  LEFT JOIN pg_catalog.pg_constraint con ON con.conrelid = i.indrelid AND con.conindid = i.indexrelid AND con.contype IN ('p', 'u', 'x')
 WHERE i.indrelid = ANY(${list})
 ORDER BY i.indrelid, i.indisprimary DESC, c2.relname;

SELECT r.conrelid::int8 AS relid, r.conname AS name, pg_catalog.pg_get_constraintdef(r.oid, true) AS definition
  FROM pg_catalog.pg_constraint r
 WHERE r.conrelid = ANY(${list}) AND r.contype = 'c'
 ORDER BY r.conrelid, 1;

SELECT o.relid::int8 AS relid, r.conrelid = o.relid AS sametable, r.conname AS name,
       pg_catalog.pg_get_constraintdef(r.oid, true) AS definition, r.conrelid::pg_catalog.regclass::text AS ontable
  FROM pg_catalog.unnest(${list}) AS o(relid)
  CROSS JOIN LATERAL (SELECT a.relid FROM pg_catalog.pg_partition_ancestors(o.relid) a UNION SELECT o.relid) anc
  JOIN pg_catalog.pg_constraint r ON r.conrelid = anc.relid
 WHERE r.contype = 'f' AND r.conparentid = 0
 ORDER BY o.relid, sametable DESC, r.conname;

SELECT o.relid::int8 AS relid, c.conname AS name, c.conrelid::pg_catalog.regclass::text AS ontable,
       pg_catalog.pg_get_constraintdef(c.oid, true) AS definition
  FROM pg_catalog.unnest(${list}) AS o(relid)
  CROSS JOIN LATERAL (SELECT a.relid FROM pg_catalog.pg_partition_ancestors(o.relid) a UNION SELECT o.relid) anc
  JOIN pg_catalog.pg_constraint c ON c.confrelid = anc.relid
 WHERE c.contype = 'f' AND c.conparentid = 0
 ORDER BY o.relid, c.conname;

SELECT pol.polrelid::int8 AS relid, pol.polname AS name, pol.polpermissive AS permissive,
       CASE WHEN pol.polroles = '{0}' THEN NULL ELSE pg_catalog.array_to_string(array(select rolname from pg_catalog.pg_roles where oid = any (pol.polroles) order by 1), ',') END AS roles,
       pg_catalog.pg_get_expr(pol.polqual, pol.polrelid) AS qual,
       pg_catalog.pg_get_expr(pol.polwithcheck, pol.polrelid) AS withcheck,
       CASE pol.polcmd WHEN 'r' THEN 'SELECT' WHEN 'a' THEN 'INSERT' WHEN 'w' THEN 'UPDATE' WHEN 'd' THEN 'DELETE' END AS cmd
  FROM pg_catalog.pg_policy pol
 WHERE pol.polrelid = ANY(${list})
 ORDER BY pol.polrelid, 2;

SELECT t.tgrelid::int8 AS relid, t.tgname AS name, pg_catalog.pg_get_triggerdef(t.oid, true) AS definition,
       t.tgenabled::text AS enabled, t.tgisinternal AS internal,
       CASE WHEN t.tgparentid != 0 THEN
         (SELECT u.tgrelid::pg_catalog.regclass::text
            FROM pg_catalog.pg_trigger AS u, pg_catalog.pg_partition_ancestors(t.tgrelid) WITH ORDINALITY AS a(relid, depth)
           WHERE u.tgname = t.tgname AND u.tgrelid = a.relid AND u.tgparentid = 0
           ORDER BY a.depth LIMIT 1)
       END AS parent
  FROM pg_catalog.pg_trigger t
 WHERE t.tgrelid = ANY(${list}) AND (NOT t.tgisinternal OR (t.tgisinternal AND t.tgenabled = 'D'))
 ORDER BY t.tgrelid, 2;

SELECT i.inhrelid::int8 AS relid, c.oid::pg_catalog.regclass::text AS name, c.relkind::text AS relkind,
       i.inhdetachpending AS detachpending
  FROM pg_catalog.pg_inherits i JOIN pg_catalog.pg_class c ON c.oid = i.inhparent
 WHERE i.inhrelid = ANY(${list})
 ORDER BY i.inhrelid, i.inhseqno;

SELECT i.inhparent::int8 AS relid, c.oid::pg_catalog.regclass::text AS name, c.relkind::text AS relkind,
       i.inhdetachpending AS detachpending, pg_catalog.pg_get_expr(c.relpartbound, c.oid) AS bound
  FROM pg_catalog.pg_inherits i JOIN pg_catalog.pg_class c ON c.oid = i.inhrelid
 WHERE i.inhparent = ANY(${list})
 ORDER BY i.inhparent, pg_catalog.pg_get_expr(c.relpartbound, c.oid) = 'DEFAULT', c.oid::pg_catalog.regclass::pg_catalog.text;

SELECT s.seqrelid::int8 AS relid, pg_catalog.format_type(s.seqtypid, NULL) AS type, s.seqstart::text AS start,
       s.seqmin::text AS minimum, s.seqmax::text AS maximum, s.seqincrement::text AS increment, s.seqcycle AS cycles,
       s.seqcache::text AS cache,
       (SELECT pg_catalog.quote_ident(nspname) || '.' || pg_catalog.quote_ident(relname) || '.' || pg_catalog.quote_ident(attname)
          FROM pg_catalog.pg_class c
          JOIN pg_catalog.pg_depend d ON c.oid = d.refobjid
          JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
          JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum = d.refobjsubid
         WHERE d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass
           AND d.objid = s.seqrelid AND d.deptype IN ('a', 'i') LIMIT 1) AS ownedby,
       EXISTS (SELECT 1 FROM pg_catalog.pg_depend d WHERE d.objid = s.seqrelid AND d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.deptype = 'i') AS isidentity
  FROM pg_catalog.pg_sequence s
 WHERE s.seqrelid = ANY(${list});

SELECT i.indexrelid::int8 AS relid, c2.relname AS tablename, am.amname AS method, i.indisprimary AS isprimary,
       i.indisunique AS isunique, coalesce((pg_catalog.to_jsonb(i) ->> 'indnullsnotdistinct')::boolean, false) AS nullsnotdistinct,
       pg_catalog.pg_get_expr(i.indpred, i.indrelid, true) AS predicate,
       coalesce(con.condeferrable, false) AS deferrable, coalesce(con.condeferred, false) AS deferred,
       i.indisvalid AS isvalid, i.indisclustered AS isclustered, i.indisreplident AS isreplident
  FROM pg_catalog.pg_index i
  JOIN pg_catalog.pg_class c ON c.oid = i.indexrelid
  JOIN pg_catalog.pg_class c2 ON c2.oid = i.indrelid
  JOIN pg_catalog.pg_am am ON am.oid = c.relam
  LEFT JOIN pg_catalog.pg_constraint con ON con.conrelid = i.indrelid AND con.conindid = i.indexrelid AND con.contype IN ('p', 'u', 'x')
 WHERE i.indexrelid = ANY(${list});

SELECT s.stxrelid::int8 AS relid, s.stxnamespace::pg_catalog.regnamespace::pg_catalog.text AS nsp, s.stxname AS name,
       s.stxrelid::pg_catalog.regclass::pg_catalog.text AS tablename, pg_catalog.pg_get_statisticsobjdef_columns(s.oid) AS columns,
       'd' = any(s.stxkind) AS ndistinct, 'f' = any(s.stxkind) AS dependencies, 'm' = any(s.stxkind) AS mcv,
       s.stxstattarget AS stattarget
  FROM pg_catalog.pg_statistic_ext s
 WHERE s.stxrelid = ANY(${list})
 ORDER BY s.stxrelid, 2, 3;

SELECT r.ev_class::int8 AS relid, r.rulename AS name, pg_catalog.rtrim(pg_catalog.pg_get_ruledef(r.oid, true), ';') AS definition,
       r.ev_enabled::text AS enabled
  FROM pg_catalog.pg_rewrite r
 WHERE r.ev_class = ANY(${list}) AND r.rulename <> '_RETURN'
 ORDER BY r.ev_class, 2;
${publicationsSql(list, serverVersion)}

SELECT f.ftrelid::int8 AS relid, s.srvname AS server,
       pg_catalog.array_to_string(ARRAY(SELECT pg_catalog.quote_ident(option_name) || ' ' || pg_catalog.quote_literal(option_value)
                                          FROM pg_catalog.pg_options_to_table(f.ftoptions)), ', ') AS options
  FROM pg_catalog.pg_foreign_table f JOIN pg_catalog.pg_foreign_server s ON s.oid = f.ftserver
 WHERE f.ftrelid = ANY(${list});
`;
}
