import type { EntityManager } from 'typeorm';
import { assertAuthenticated } from '../auth/permissions';
import type { Caller } from '../auth/caller';
import { AgendaItem, AgendaItemStatus } from '../entities/agenda-item.entity';
import { SessionEventKind } from '../entities/session-event.entity';
import { SessionStatus } from '../entities/session.entity';
import type { Session } from '../entities/session.entity';
import { BadUserInputError, ConflictError, NotFoundError } from '../errors';
import type { AddAgendaItemInput, UpdateAgendaItemInput } from '../schema/agenda.inputs';
import { keyOf } from '../schema/global-id';
import { assertStillOpen, readAgenda, saveLoaded } from './session-changes.service';
import type { Agenda, SessionChanges } from './session-changes.service';
import { optionalText, requiredText } from '../validation/text';
import { assertVersion } from './expected-version.rules';

/**
 * The agenda (porządek obrad): positions 1..n, gapless and unique; one item
 * under discussion at a time, and only while the session sits; once the
 * session has opened, nothing leaves the record: an item is WITHDRAWN.
 */
/**
 * The SQL for the agenda item a vote or a request for the floor is about, in the session `sessionColumn`: the one
 * named (`keyParameter` holds its key), none when the id named another type (null), or, when none was given
 * (undefined), the item under discussion, if any. An item of another session is none.
 */
export function itemOfChangeSql(
  itemKey: number | null | undefined,
  sessionColumn: string,
  keyParameter: string,
): string {
  if (itemKey === undefined) {
    return `(SELECT a.id FROM agenda_item a WHERE a.session_id = ${sessionColumn} AND a.status = '${AgendaItemStatus.IN_PROGRESS}' LIMIT 1)`;
  }
  if (itemKey === null) return 'NULL::int';
  return `(SELECT a.id FROM agenda_item a WHERE a.id = ${keyParameter} AND a.session_id = ${sessionColumn})`;
}

export class AgendaService {
  constructor(private readonly changes: SessionChanges) {}

  async add(caller: Caller | null, input: AddAgendaItemInput): Promise<AgendaItem> {
    const sessionId = keyOf(input.sessionId, 'Session', 'input.sessionId');
    const title = requiredText(input.title, 'input.title');
    const description = optionalText(input.description, 'input.description', 10_000) ?? null;
    const presenter = optionalText(input.presenter, 'input.presenter', 300) ?? null;
    return this.changes.change(caller, sessionId, async (tx, session) => {
      assertStillOpen(session, 'agenda');
      const agenda = await readAgenda(tx, session.id);
      const count = agenda.items.length;
      const position = input.position ?? count + 1;
      if (!Number.isInteger(position) || position < 1 || position > count + 1) {
        throw new BadUserInputError(
          'input.position',
          `input.position must be between 1 and ${count + 1}; got ${position}.`,
        );
      }
      await shift(tx, session.id, position, count, +1);
      const item = await tx.getRepository(AgendaItem).save(
        tx.getRepository(AgendaItem).create({
          sessionId: session.id,
          position,
          title,
          description,
          presenter,
          status: AgendaItemStatus.PENDING,
          version: 1,
        }),
      );
      // Added at the end, the agenda read is the agenda after, with the item; in between, positions moved: read again.
      const after = position === count + 1 ? { items: [...agenda.items, item], logged: agenda.logged } : undefined;
      return { result: item, kind: SessionEventKind.AGENDA_ITEM_ADDED, agendaItem: item, agenda: after };
    });
  }

  async update(caller: Caller | null, input: UpdateAgendaItemInput): Promise<AgendaItem> {
    const title = input.title == null ? undefined : requiredText(input.title, 'input.title');
    const description = optionalText(input.description, 'input.description', 10_000);
    const presenter = optionalText(input.presenter, 'input.presenter', 300);
    return this.onItem(caller, input.id, 'input.id', async (tx, session, item, agenda) => {
      assertStillOpen(session, 'agenda');
      assertVersion('agenda item', item.version, input.expectedVersion);
      if (title !== undefined) item.title = title;
      if (description !== undefined) item.description = description;
      if (presenter !== undefined) item.presenter = presenter;
      item.version += 1;
      await saveLoaded(tx, AgendaItem, item);
      return { result: item, kind: SessionEventKind.AGENDA_ITEM_UPDATED, agendaItem: item, agenda };
    });
  }

  async move(
    caller: Caller | null,
    id: string,
    position: number,
    expectedVersion?: number | null,
  ): Promise<AgendaItem> {
    return this.onItem(caller, id, 'id', async (tx, session, item, agenda) => {
      assertStillOpen(session, 'agenda');
      assertVersion('agenda item', item.version, expectedVersion);
      const count = agenda.items.length;
      if (!Number.isInteger(position) || position < 1 || position > count) {
        throw new BadUserInputError('position', `position must be between 1 and ${count}; got ${position}.`);
      }
      if (position < item.position) await shift(tx, session.id, position, item.position - 1, +1);
      if (position > item.position) await shift(tx, session.id, item.position + 1, position, -1);
      item.position = position;
      item.version += 1;
      await saveLoaded(tx, AgendaItem, item);
      return { result: item, kind: SessionEventKind.AGENDA_ITEM_MOVED, agendaItem: item };
    });
  }

  async start(caller: Caller | null, id: string): Promise<AgendaItem> {
    return this.onItem(caller, id, 'id', async (tx, session, item, agenda) => {
      if (session.status !== SessionStatus.IN_PROGRESS) {
        throw new ConflictError(
          `An item can be started only while the session is IN_PROGRESS; it is ${session.status}.`,
        );
      }
      if (item.status !== AgendaItemStatus.PENDING && item.status !== AgendaItemStatus.POSTPONED) {
        throw new ConflictError(`Only a PENDING or POSTPONED item can be started; this one is ${item.status}.`);
      }
      const running = agenda.items.find((candidate) => candidate.status === AgendaItemStatus.IN_PROGRESS);
      if (running) {
        throw new ConflictError(`Item ${running.position} ("${running.title}") is in progress; finish it first.`);
      }
      item.status = AgendaItemStatus.IN_PROGRESS;
      item.startedAt = new Date();
      item.endedAt = null;
      item.version += 1;
      await saveLoaded(tx, AgendaItem, item);
      return { result: item, kind: SessionEventKind.AGENDA_ITEM_STARTED, agendaItem: item, agenda };
    });
  }

  async finish(caller: Caller | null, id: string, status: AgendaItemStatus): Promise<AgendaItem> {
    if (status !== AgendaItemStatus.DONE && status !== AgendaItemStatus.POSTPONED) {
      throw new BadUserInputError('status', `status must be DONE or POSTPONED; got ${status}.`);
    }
    return this.onItem(caller, id, 'id', async (tx, session, item, agenda) => {
      assertStillOpen(session, 'agenda');
      const allowed =
        status === AgendaItemStatus.DONE
          ? [AgendaItemStatus.IN_PROGRESS]
          : [AgendaItemStatus.IN_PROGRESS, AgendaItemStatus.PENDING];
      if (!allowed.includes(item.status)) {
        throw new ConflictError(
          status === AgendaItemStatus.DONE
            ? `Only the item in progress can be DONE; this one is ${item.status} (start it first).`
            : `Only a PENDING or IN_PROGRESS item can be POSTPONED; this one is ${item.status}.`,
        );
      }
      item.status = status;
      item.endedAt = new Date();
      item.version += 1;
      await saveLoaded(tx, AgendaItem, item);
      return { result: item, kind: SessionEventKind.AGENDA_ITEM_FINISHED, agendaItem: item, agenda };
    });
  }

  /** Before the session opens the item goes; afterwards it stays on the record, WITHDRAWN. */
  async remove(caller: Caller | null, id: string): Promise<string> {
    return this.onItem(caller, id, 'id', async (tx, session, item, agenda) => {
      assertStillOpen(session, 'agenda');
      if (session.status === SessionStatus.SCHEDULED) {
        const count = agenda.items.length;
        await tx.getRepository(AgendaItem).delete({ id: item.id });
        await shift(tx, session.id, item.position + 1, count, -1);
        return { result: id, kind: SessionEventKind.AGENDA_ITEM_REMOVED, agendaItem: item };
      }
      if (item.status !== AgendaItemStatus.PENDING && item.status !== AgendaItemStatus.POSTPONED) {
        throw new ConflictError(`Only a PENDING or POSTPONED item can be withdrawn; this one is ${item.status}.`);
      }
      item.status = AgendaItemStatus.WITHDRAWN;
      item.version += 1;
      await saveLoaded(tx, AgendaItem, item);
      return { result: id, kind: SessionEventKind.AGENDA_ITEM_REMOVED, agendaItem: item, agenda };
    });
  }

  /** Locks the item's session (found through the item), reads its agenda with the item in it, and changes it. */
  private async onItem<T>(
    caller: Caller | null,
    id: string,
    argumentName: string,
    work: (
      tx: EntityManager,
      session: Session,
      item: AgendaItem,
      agenda: Agenda,
    ) => Promise<{ result: T; kind: SessionEventKind; agendaItem: AgendaItem; agenda?: Agenda }>,
  ): Promise<T> {
    assertAuthenticated(caller);
    const key = keyOf(id, 'AgendaItem', argumentName);
    const missing = new NotFoundError('agenda item', id);
    return this.changes.change(caller, { table: 'agenda_item', key, missing }, async (tx, session) => {
      // The whole agenda, in the statement that finds the item: checks and the event's order need it.
      const agenda = await readAgenda(tx, session.id);
      const item = agenda.items.find((candidate) => candidate.id === key);
      if (!item) throw missing;
      return work(tx, session, item, agenda);
    });
  }
}

/** Moves the items at positions from..to (inclusive) by delta; the unique check waits for the commit. */
async function shift(tx: EntityManager, sessionId: number, from: number, to: number, delta: 1 | -1): Promise<void> {
  if (from > to) return;
  await tx.query(
    'UPDATE agenda_item SET position = position + $4, version = version + 1 WHERE session_id = $1 AND position BETWEEN $2 AND $3',
    [sessionId, from, to, delta],
  );
}
