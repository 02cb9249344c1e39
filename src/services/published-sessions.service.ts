import type { DataSource } from 'typeorm';
import { VersionReader } from '../cache/versions';
import { BodyKind } from '../entities/body.entity';
import { SessionEventKind } from '../entities/session-event.entity';
import type { SessionStatus } from '../entities/session.entity';
import { fromGlobalId, toGlobalId } from '../schema/global-id';
import { bodySlug, uniqueSlugs } from './body-slug.rules';

/** Whose sessions a calendar or feed publishes. */
export type FeedTarget = { readonly body: string } | { readonly district: number } | { readonly convention: true };

export interface PublishedBody {
  readonly id: number;
  readonly gid: string;
  readonly slug: string | null;
  readonly name: string;
  readonly kind: BodyKind;
}

/** The bodies of a calendar or feed, with its title and a key that never changes (for the feed's own id). */
export interface FeedScope {
  /** `body:3`, `district:12`, `convention`. */
  readonly key: string;
  readonly title: string;
  readonly bodies: readonly PublishedBody[];
}

/** A session as calendars and feeds show it: public fields only (no chair, no attendance, no actor). */
export interface PublishedSession {
  readonly id: number;
  readonly gid: string;
  readonly bodyName: string;
  readonly number: number;
  readonly title: string;
  readonly status: SessionStatus;
  readonly scheduledAt: Date;
  readonly endedAt: Date | null;
  readonly venueName: string | null;
  readonly venueAddress: string | null;
  readonly description: string | null;
  readonly cancellationReason: string | null;
  readonly createdAt: Date;
  /**
   * How many times its time or venue changed, plus one if it was cancelled: iCalendar's SEQUENCE, which a
   * client compares to know an event it holds was revised (RFC 5545 §3.8.7.4; RFC 5546 §2.1.4 counts
   * cancelling as such a revision). Counted from the event log, so it only ever grows and is the same on
   * every instance, with nothing stored for it.
   */
  readonly revision: number;
  /** When the session's own row last changed (scheduled, rescheduled, opened, closed...), from the event log. */
  readonly changedAt: Date;
}

/**
 * Each lifecycle event's snapshot of the session row beside the one before it. A SESSION_UPDATED without an
 * earlier snapshot (a session of the reference data, made without the API) counts as a move: a SEQUENCE that
 * grows once without need costs a client one re-read, one that stays still would hide a change of time.
 */
const SESSIONS_SQL = `
  WITH s AS (
    SELECT s.id, s.body_id, s.number, s.title, s.status, s.scheduled_at, s.ended_at, s.venue_name, s.venue_address,
           s.description, s.cancellation_reason, s.created_at
      FROM session s
     WHERE s.body_id = ANY($1::int[]) AND ($2::boolean OR NOT s.synthetic)
  ),
  e AS (
    SELECT e.session_id, e.kind, e.occurred_at, (e.payload -> 'session') - 'lastSequence' AS after,
           lag((e.payload -> 'session') - 'lastSequence') OVER (PARTITION BY e.session_id ORDER BY e.sequence) AS before
      FROM session_event e
     -- The kinds that change the session's own row, written as session_event_lifecycle_idx's predicate so that
     -- the planner reads that index; every other kind leaves the row as it was (but for its log counters).
     WHERE e.session_id IN (SELECT id FROM s) AND e.kind LIKE 'SESSION\\_%'
  ),
  r AS (
    SELECT session_id,
           count(*) FILTER (WHERE kind = '${SessionEventKind.SESSION_CANCELLED}' OR (kind = '${SessionEventKind.SESSION_UPDATED}' AND (
             before IS NULL
             OR after -> 'scheduledAt' IS DISTINCT FROM before -> 'scheduledAt'
             OR after -> 'venue' IS DISTINCT FROM before -> 'venue')))::int AS revision,
           max(occurred_at) FILTER (WHERE before IS NULL OR after IS DISTINCT FROM before) AS changed_at
      FROM e GROUP BY session_id
  )
  SELECT s.id, s.body_id AS "bodyId", s.number, s.title, s.status, s.scheduled_at AS "scheduledAt",
         s.ended_at AS "endedAt", s.venue_name AS "venueName", s.venue_address AS "venueAddress", s.description,
         s.cancellation_reason AS "cancellationReason", s.created_at AS "createdAt",
         coalesce(r.revision, 0) AS revision, coalesce(r.changed_at, s.created_at) AS "changedAt"
    FROM s LEFT JOIN r ON r.session_id = s.id
   ORDER BY s.scheduled_at, s.id`;

interface BodyRow {
  readonly id: number;
  readonly kind: BodyKind;
  readonly name: string;
  readonly districtSlug: string | null;
  readonly districtNumber: number | null;
  readonly districtTitle: string | null;
}

/**
 * What calendars and feeds publish: whose sessions (a body, a district's bodies, the Convention), the
 * sessions with their revision and last change, and the data version they are valid under. Synthetic demo
 * sessions are left out unless asked for.
 */
export class PublishedSessionsService {
  private readonly versions: VersionReader;

  constructor(private readonly dataSource: DataSource) {
    this.versions = new VersionReader(dataSource);
  }

  /**
   * The version of everything a calendar or feed shows: the reference data (bodies, districts) and the
   * sessions' rows. Writes within a session (attendance, votes, the floor) move neither, so they never
   * change a feed or its ETag. Read before the data, so that the version is never newer than what it labels.
   */
  async version(): Promise<string> {
    const { reference, sessions } = await this.versions.read();
    return `${reference}.${sessions}`;
  }

  /** The bodies of a target, or null when there is no such body or district. */
  async scope(target: FeedTarget): Promise<FeedScope | null> {
    const bodies = await this.dataSource.query<BodyRow[]>(
      `SELECT b.id, b.kind, b.name, d.slug AS "districtSlug", d.number AS "districtNumber",
              CASE WHEN d.id IS NULL THEN NULL ELSE 'Dzielnica ' || d.numeral || ' ' || d.name END AS "districtTitle"
         FROM body b LEFT JOIN district d ON d.id = b.district_id ORDER BY b.id`,
    );
    const published = (row: BodyRow): PublishedBody => ({
      id: row.id,
      gid: toGlobalId('Body', row.id),
      slug: bodySlug(row.kind, row.districtSlug),
      name: row.name,
      kind: row.kind,
    });
    if ('body' in target) {
      const body = uniqueSlugs(bodies).get(target.body) ?? bodies.find((row) => row.id === bodyKey(target.body));
      return body ? { key: `body:${body.id}`, title: body.name, bodies: [published(body)] } : null;
    }
    if ('district' in target) {
      const own = bodies.filter((row) => row.districtNumber === target.district);
      return own.length === 0
        ? null
        : { key: `district:${target.district}`, title: own[0]!.districtTitle!, bodies: own.map(published) };
    }
    const convention = bodies.filter((row) => row.kind === BodyKind.CONVENTION);
    return convention.length === 0
      ? null
      : { key: 'convention', title: convention[0]!.name, bodies: convention.map(published) };
  }

  /** The sessions of the bodies, by scheduled time, with synthetic demo sessions only when asked for. */
  async sessions(scope: FeedScope, includeSynthetic: boolean): Promise<PublishedSession[]> {
    const rows = await this.dataSource.query<(Omit<PublishedSession, 'gid' | 'bodyName'> & { bodyId: number })[]>(
      SESSIONS_SQL,
      [scope.bodies.map((body) => body.id), includeSynthetic],
    );
    const names = new Map(scope.bodies.map((body) => [body.id, body.name]));
    return rows.map(({ bodyId, ...row }) => ({
      ...row,
      gid: toGlobalId('Session', row.id),
      bodyName: names.get(bodyId)!,
    }));
  }
}

/** The key of a body's global id, or null for anything else (another type's id, or no id at all). */
function bodyKey(id: string): number | null {
  try {
    const decoded = fromGlobalId(id, 'id');
    return decoded.type === 'Body' ? decoded.key : null;
  } catch {
    return null;
  }
}
