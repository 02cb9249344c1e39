import type { NodeTypeName } from '../schema/global-id';
import { toGlobalId } from '../schema/global-id';
import type { ZonedDateTimeFormat } from '../schema/scalars';

/** How the export files write what is not data: where the API is, and the city's zone for instants. */
export interface ExportStyle {
  /** PUBLIC_URL: the API as its users reach it, without a trailing slash. */
  readonly publicUrl: string;
  /** Instants as the API writes its DateTime values, so that a file and an answer compare equal. */
  readonly dates: ZonedDateTimeFormat;
}

/** A Popolo link (and a line of sources.csv): where a record can be read again, live, through the API. */
export interface SourceLink {
  readonly url: string;
  readonly note: string;
}

export function sourceOf(style: ExportStyle, type: NodeTypeName, key: number): SourceLink {
  return { url: `${style.publicUrl}/graphql`, note: `Obrady API: node(id: "${toGlobalId(type, key)}")` };
}

/** The API's global id of a row, or null for a missing reference. */
export function idOf(type: NodeTypeName, key: number | null): string | null {
  return key === null ? null : toGlobalId(type, key);
}

/** An instant as the API writes it (milliseconds only where there are any), or null. */
export function instant(style: ExportStyle, date: Date | null): string | null {
  return date === null ? null : style.dates.format(date);
}

/**
 * An instant for Popolo's date fields, whose pattern allows no fraction of a second: the API's form, cut to the
 * second.
 */
export function popoloInstant(style: ExportStyle, date: Date | null): string | null {
  return date === null ? null : style.dates.format(date).replace(/\.\d+/, '');
}

/** An enum value as Popolo's lower-case vocabulary writes categories: IN_PROGRESS is in_progress. */
export function category(value: string | null): string | null {
  return value === null ? null : value.toLowerCase();
}
