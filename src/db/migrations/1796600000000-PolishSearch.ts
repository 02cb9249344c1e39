import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The searched tables, with the columns of their text: title (weight A) and description (B). */
const SEARCHED: readonly (readonly [table: string, title: string, description: string | null])[] = [
  ['session', 'title', 'description'],
  ['agenda_item', 'title', 'description'],
  ['vote', 'subject', null],
  ['person', 'full_name', null],
];

/**
 * Full-text search that understands Polish (issue 14, item 1).
 *
 * PostgreSQL ships no Polish configuration, so two are made here:
 * - `obrady_plain`: words as typed, lower case, diacritics removed (unaccent), so "zarzadow" finds "Zarządów";
 * - `obrady_stem`: words reduced to their dictionary form by the hunspell dictionary `obrady_polish`
 *   (files polish.affix/.dict/.stop in the server's tsearch_data) where those files are there, else `simple`.
 * Every searchable row keeps one stored, weighted tsvector holding both (title A over description B), kept by a
 * trigger, so a query word matches either its dictionary form or its unaccented spelling; a GIN index serves `@@`.
 *
 * Which of the two `obrady_stem` is cannot be fixed here once for all: an `npm ci` removes the embedded server's
 * files until the next start puts them back, an operator may add them to an external server later. So the choice
 * is a function, `obrady_search_choose(wanted)`, called by this migration and again at every start
 * (src/db/search-setup.ts): it makes the dictionary if the files allow, and when the mapping changes it
 * rebuilds the stored vectors. It returns whether words are stemmed, which the server reports as SearchConnection.stemming.
 *
 * unaccent and pg_trgm are trusted extensions (PostgreSQL 13+): a database owner may create them on a managed server.
 */
export class PolishSearch1796600000000 implements MigrationInterface {
  name = 'PolishSearch1796600000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS unaccent WITH SCHEMA public`);
    await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public`);
    // unaccent() is only STABLE (its dictionary could change); with the dictionary named it may be declared IMMUTABLE.
    await queryRunner.query(`
      CREATE FUNCTION public.obrady_unaccent(text) RETURNS text
        LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
        AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$`);
    await queryRunner.query(`CREATE TEXT SEARCH CONFIGURATION public.obrady_plain (COPY = pg_catalog.simple)`);
    await queryRunner.query(`
      ALTER TEXT SEARCH CONFIGURATION public.obrady_plain
        ALTER MAPPING FOR word, hword, hword_part WITH public.unaccent, pg_catalog.simple`);
    await queryRunner.query(`CREATE TEXT SEARCH CONFIGURATION public.obrady_stem (COPY = pg_catalog.simple)`);
    // One text's lexemes under both configurations, with one weight; a row's vector is its title's (A) and
    // description's (B).
    await queryRunner.query(`
      CREATE FUNCTION public.obrady_search_doc(body text, weight "char") RETURNS tsvector
        LANGUAGE sql IMMUTABLE PARALLEL SAFE
        AS $$ SELECT setweight(
                 to_tsvector('public.obrady_stem'::regconfig, coalesce(body, ''))
                 || to_tsvector('public.obrady_plain'::regconfig, coalesce(body, '')), weight) $$`);
    await queryRunner.query(`
      CREATE FUNCTION public.obrady_search_vector(title text, description text) RETURNS tsvector
        LANGUAGE sql IMMUTABLE PARALLEL SAFE
        AS $$ SELECT public.obrady_search_doc(title, 'A') || public.obrady_search_doc(description, 'B') $$`);
    // Plain columns kept by triggers rather than generated ones: TypeORM keeps a generated column's expression in
    // a table of its own, keyed by the database's name, which a copy of the database (each test file's) would not
    // match. A trigger runs within the write's own statement: it adds no statement to a change.
    for (const [table, title, description] of SEARCHED) {
      await queryRunner.query(`ALTER TABLE public.${table} ADD COLUMN search_vector tsvector`);
      await queryRunner.query(`
        CREATE FUNCTION public.${table}_search_vector() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          NEW.search_vector := public.obrady_search_vector(NEW.${title}, ${description ? `NEW.${description}` : 'NULL'});
          RETURN NEW;
        END $$`);
      await queryRunner.query(`
        CREATE TRIGGER ${table}_search_vector
          BEFORE INSERT OR UPDATE OF ${[title, description].filter(Boolean).join(', ')} ON public.${table}
          FOR EACH ROW EXECUTE FUNCTION public.${table}_search_vector()`);
      await queryRunner.query(`CREATE INDEX ${table}_search_idx ON public.${table} USING gin (search_vector)`);
    }
    // Every vector computed again, under the configuration as it is now. The tables' own triggers (the versions the
    // read cache reads, anything that records changes) are held off: no row changes but for its search vector.
    await queryRunner.query(`
      CREATE FUNCTION public.obrady_search_rebuild() RETURNS void LANGUAGE plpgsql AS $$
      BEGIN
        ${SEARCHED.map(
          ([table, title, description]) => `ALTER TABLE public.${table} DISABLE TRIGGER USER;
        UPDATE public.${table} SET search_vector = public.obrady_search_vector(${title}, ${description ?? 'NULL'});
        ALTER TABLE public.${table} ENABLE TRIGGER USER;`,
        ).join('\n        ')}
      END $$`);
    await queryRunner.query(`
      CREATE FUNCTION public.obrady_search_choose(wanted boolean) RETURNS boolean LANGUAGE plpgsql AS $$
      DECLARE
        usable boolean := false;
        mapped boolean;
      BEGIN
        -- Instances starting together on one database choose one after another.
        PERFORM pg_advisory_xact_lock(hashtext('obrady_search_choose'));
        IF wanted THEN
          BEGIN
            IF NOT EXISTS (SELECT 1 FROM pg_ts_dict WHERE dictname = 'obrady_polish'
                             AND dictnamespace = 'public'::regnamespace) THEN
              CREATE TEXT SEARCH DICTIONARY public.obrady_polish
                (TEMPLATE = ispell, DictFile = polish, AffFile = polish, StopWords = polish);
            END IF;
            -- Loads the files: fails where they are missing or unreadable, so a dictionary made earlier is checked too.
            usable := pg_catalog.ts_lexize('public.obrady_polish'::regdictionary, 'dzielnicy') IS NOT NULL;
          EXCEPTION WHEN OTHERS THEN
            usable := false;
          END;
        END IF;
        SELECT EXISTS (SELECT 1 FROM pg_ts_config_map m JOIN pg_ts_config c ON c.oid = m.mapcfg
                         JOIN pg_ts_dict d ON d.oid = m.mapdict
                        WHERE c.cfgname = 'obrady_stem' AND d.dictname = 'obrady_polish')
          INTO mapped;
        IF usable AND NOT mapped THEN
          ALTER TEXT SEARCH CONFIGURATION public.obrady_stem
            ALTER MAPPING FOR asciiword, asciihword, hword_asciipart, word, hword, hword_part
            WITH public.obrady_polish, pg_catalog.simple;
        ELSIF mapped AND NOT usable THEN
          ALTER TEXT SEARCH CONFIGURATION public.obrady_stem
            ALTER MAPPING FOR asciiword, asciihword, hword_asciipart, word, hword, hword_part WITH pg_catalog.simple;
        END IF;
        IF usable IS DISTINCT FROM mapped THEN
          PERFORM public.obrady_search_rebuild();
        END IF;
        RETURN usable;
      END $$`);
    await queryRunner.query(`SELECT public.obrady_search_choose(true)`);
    // The vectors of the rows already there, whichever way the choice went.
    await queryRunner.query(`SELECT public.obrady_search_rebuild()`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const [table] of SEARCHED) {
      await queryRunner.query(`DROP TRIGGER ${table}_search_vector ON public.${table}`);
      await queryRunner.query(`DROP FUNCTION public.${table}_search_vector()`);
      await queryRunner.query(`DROP INDEX public.${table}_search_idx`);
      await queryRunner.query(`ALTER TABLE public.${table} DROP COLUMN search_vector`);
    }
    await queryRunner.query(`DROP FUNCTION public.obrady_search_choose(boolean)`);
    await queryRunner.query(`DROP FUNCTION public.obrady_search_rebuild()`);
    await queryRunner.query(`DROP FUNCTION public.obrady_search_vector(text, text)`);
    await queryRunner.query(`DROP FUNCTION public.obrady_search_doc(text, "char")`);
    await queryRunner.query(`DROP TEXT SEARCH CONFIGURATION public.obrady_stem`);
    await queryRunner.query(`DROP TEXT SEARCH CONFIGURATION public.obrady_plain`);
    await queryRunner.query(`DROP TEXT SEARCH DICTIONARY IF EXISTS public.obrady_polish`);
    await queryRunner.query(`DROP FUNCTION public.obrady_unaccent(text)`);
  }
}
