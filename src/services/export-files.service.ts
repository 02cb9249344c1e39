import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rename, rm, unlink } from 'node:fs/promises';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { DataSource } from 'typeorm';
import { StatsGrouping } from '../schema/attendance-stat.type';
import type { AttendanceStatsService } from './attendance-stats.service';
import { ATTENDANCE_TABLE, csvStream, csvZip } from './csv-export.service';
import type { SeatAttendanceRow } from './csv-export.service';
import type { ExportStyle } from './export-format.rules';
import { popoloJson } from './popolo-export.service';
import { readExportVersion, TermSnapshot } from './term-snapshot.service';

export type ExportFormat = 'popolo' | 'csv' | 'attendance';

/** Each kind of file: where it is under /export/, its media type, and the name a download is saved under. */
export const EXPORT_FORMATS: Readonly<
  Record<
    ExportFormat,
    {
      readonly path: (term: number) => string;
      readonly contentType: string;
      readonly download: (term: number) => string;
    }
  >
> = {
  popolo: {
    path: (term) => `term-${term}/popolo.json`,
    contentType: 'application/json; charset=utf-8',
    download: (term) => `obrady-term-${term}-popolo.json`,
  },
  csv: {
    path: (term) => `term-${term}/csv.zip`,
    contentType: 'application/zip',
    download: (term) => `obrady-term-${term}-csv.zip`,
  },
  attendance: {
    path: (term) => `attendance-${term}.csv`,
    contentType: 'text/csv; charset=utf-8; header=present',
    download: (term) => `obrady-attendance-${term}.csv`,
  },
};

/** A file built for one data version, on this instance's disk. */
export interface ExportFile {
  readonly format: ExportFormat;
  readonly term: number;
  readonly includeSynthetic: boolean;
  /** The data version it was built from (see readExportVersion). */
  readonly version: string;
  readonly path: string;
  readonly bytes: number;
  readonly sha256: string;
  readonly generatedAt: Date;
}

/** /export/index.json, and the version it holds under. */
export interface ExportIndex {
  readonly version: string;
  readonly json: string;
}

export interface ExportOptions {
  /** EXPORT_DIR: this instance makes a folder of its own in it, and removes it when it stops. */
  readonly root: string;
  /** EXPORT_LICENSE, as index.json names it; null where the publisher has not said. */
  readonly license: string | null;
  readonly style: ExportStyle;
}

/**
 * The bulk exports (/export/): built on demand, for the data version of the moment, and kept on disk while that
 * version holds. A request reads the version (one statement); a file built for it is served as it is; otherwise
 * one build runs, for every request waiting, and replaces the file it supersedes. Built as streams (cursors →
 * JSON/CSV writers → zip → disk, hashed on the way), so a build's memory does not grow with the city.
 */
export class ExportFilesService {
  private folder: Promise<string> | null = null;
  private readonly current = new Map<string, ExportFile>();
  private readonly building = new Map<string, Promise<ExportFile>>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly attendanceStats: AttendanceStatsService,
    private readonly options: ExportOptions,
  ) {}

  /** The version a term's files (null: every term's, the index's) are built under now; NOT_FOUND for no such term. */
  async version(termNumber: number | null): Promise<string> {
    return (await readExportVersion((sql, params) => this.dataSource.query(sql, params), termNumber)).version;
  }

  /**
   * The file for the version of the moment (read here unless the caller has just read it): the one kept, or one
   * built now (NOT_FOUND for no such term).
   */
  async file(
    format: ExportFormat,
    termNumber: number,
    includeSynthetic: boolean,
    knownVersion?: string,
  ): Promise<ExportFile> {
    const key = `${format}-${termNumber}-${includeSynthetic ? 'all' : 'public'}`;
    const version = knownVersion ?? (await this.version(termNumber));
    const kept = this.current.get(key);
    if (kept?.version === version) return kept;
    let build = this.building.get(key);
    if (!build) {
      build = this.build(key, format, termNumber, includeSynthetic).finally(() => this.building.delete(key));
      this.building.set(key, build);
    }
    return build;
  }

  /** /export/index.json: an entry per file of every term, each built for the version of the moment. */
  async index(includeSynthetic: boolean, knownVersion?: string): Promise<ExportIndex> {
    const version = knownVersion ?? (await this.version(null));
    const terms = (await this.dataSource.query(`SELECT number FROM term ORDER BY number`)) as { number: number }[];
    const files = [];
    // One build at a time: the index is asked for rarely, and a build holds a connection.
    for (const { number } of terms) {
      for (const format of Object.keys(EXPORT_FORMATS) as ExportFormat[]) {
        const file = await this.file(format, number, includeSynthetic);
        files.push({
          term: number,
          format,
          url: `${this.options.style.publicUrl}/export/${EXPORT_FORMATS[format].path(number)}${includeSynthetic ? '?synthetic=include' : ''}`,
          bytes: file.bytes,
          sha256: file.sha256,
          generatedAt: this.options.style.dates.format(file.generatedAt),
          dataVersion: file.version,
          license: this.options.license,
        });
      }
    }
    const json = JSON.stringify(
      { dataVersion: version, synthetic: includeSynthetic ? 'included' : 'excluded', files },
      null,
      2,
    );
    return { version, json: `${json}\n` };
  }

  /** Removes this instance's folder and what it holds. */
  async stop(): Promise<void> {
    const folder = this.folder;
    this.folder = null;
    if (folder) await rm(await folder, { recursive: true, force: true });
  }

  private async build(
    key: string,
    format: ExportFormat,
    termNumber: number,
    includeSynthetic: boolean,
  ): Promise<ExportFile> {
    const folder = await (this.folder ??= mkdir(this.options.root, { recursive: true }).then(() =>
      mkdtemp(path.join(this.options.root, 'instance-')),
    ));
    const part = path.join(folder, `${randomUUID()}.part`);
    const generatedAt = new Date();
    const hash = createHash('sha256');
    let bytes = 0;
    const measured = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        hash.update(chunk);
        bytes += chunk.length;
        done(null, chunk);
      },
    });
    let version: string;
    try {
      if (format === 'attendance') {
        // The statistics are one statement of their own: the version read before them is the one they may be
        // older than, never newer, so a change made meanwhile is built again at the next request.
        version = await this.version(termNumber);
        const lines = await this.seatAttendance(termNumber, includeSynthetic);
        await pipeline(csvStream(ATTENDANCE_TABLE, lines, this.options.style), measured, createWriteStream(part));
      } else {
        const snapshot = await TermSnapshot.open(this.dataSource, termNumber, includeSynthetic);
        try {
          version = snapshot.version;
          const content =
            format === 'popolo'
              ? Readable.from(popoloJson(snapshot, this.options.style))
              : csvZip(snapshot, this.options.style);
          await pipeline(content, measured, createWriteStream(part));
        } finally {
          await snapshot.close();
        }
      }
    } catch (error) {
      await rm(part, { force: true });
      throw error;
    }
    const file: ExportFile = {
      format,
      term: termNumber,
      includeSynthetic,
      version,
      path: path.join(folder, `${key}.${version}`),
      bytes,
      sha256: hash.digest('hex'),
      generatedAt,
    };
    await rename(part, file.path);
    const superseded = this.current.get(key);
    this.current.set(key, file);
    // A reader that opened it keeps reading it; one about to open it builds again (see the route).
    if (superseded && superseded.path !== file.path) await unlink(superseded.path).catch(() => undefined);
    return file;
  }

  /** The statistics per seat, with the seat's label and body (a line per seat: bounded by the seats, not sessions). */
  private async seatAttendance(termNumber: number, includeSynthetic: boolean): Promise<SeatAttendanceRow[]> {
    const stats = await this.attendanceStats.stats({ termNumber, groupBy: StatsGrouping.SEAT, includeSynthetic });
    const seats = (await this.dataSource.query(
      `SELECT st.id, st.label, b.id AS body_id, b.name AS body_name
       FROM seat st JOIN body b ON b.id = st.body_id WHERE st.id = ANY($1::int[])`,
      [stats.map((stat) => stat.seatId)],
    )) as { id: number; label: string; body_id: number; body_name: string }[];
    const byId = new Map(seats.map((seat) => [seat.id, seat]));
    return stats.map((stat) => {
      const seat = byId.get(stat.seatId!)!;
      return {
        seat_id: seat.id,
        seat_label: seat.label,
        body_id: seat.body_id,
        body_name: seat.body_name,
        district_id: stat.districtId,
        sessions: stat.sessions,
        present: stat.present,
        remote: stat.remote,
        excused: stat.excused,
        absent: stat.absent,
        left_early: stat.leftEarly,
        by_deputy: stat.byDeputy,
        not_recorded: stat.notRecorded,
        rate: stat.rate,
      };
    });
  }
}
