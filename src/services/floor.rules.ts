import { SpeechKind, SpeechStatus } from '../entities/speech-request.entity';

/** Formal motions go before everyone waiting, then replies ad vocem, then the speakers in turn. */
const KIND_RANK: Record<SpeechKind, number> = {
  [SpeechKind.FORMAL_MOTION]: 0,
  [SpeechKind.AD_VOCEM]: 1,
  [SpeechKind.REGULAR]: 2,
};

const STATUS_RANK: Record<SpeechStatus, number> = {
  [SpeechStatus.SPEAKING]: 0,
  [SpeechStatus.WAITING]: 1,
  [SpeechStatus.DONE]: 2,
  [SpeechStatus.WITHDRAWN]: 2,
};

interface Queued {
  readonly id: number;
  readonly kind: SpeechKind;
  readonly status: SpeechStatus;
  readonly requestedAt: Date;
}

/**
 * The order the chair will grant the floor in: whoever speaks now, then those
 * waiting (formal motions, then ad vocem, then regular, each by request time),
 * then the finished ones by request time.
 */
export function floorOrder<T extends Queued>(requests: readonly T[]): T[] {
  return [...requests].sort(
    (a, b) =>
      STATUS_RANK[a.status] - STATUS_RANK[b.status] ||
      (a.status === SpeechStatus.WAITING ? KIND_RANK[a.kind] - KIND_RANK[b.kind] : 0) ||
      a.requestedAt.getTime() - b.requestedAt.getTime() ||
      a.id - b.id,
  );
}
