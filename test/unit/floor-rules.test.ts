import 'reflect-metadata';
import { SpeechKind, SpeechStatus } from '../../src/entities/speech-request.entity';
import { floorOrder } from '../../src/services/floor.rules';

/** The queue for the floor: the speaker, then formal motions, ad vocem, regular (each by time), then the finished. */
const { REGULAR, AD_VOCEM, FORMAL_MOTION } = SpeechKind;
const { WAITING, SPEAKING, DONE, WITHDRAWN } = SpeechStatus;

let next = 0;
const request = (kind: SpeechKind, status: SpeechStatus, minute: number, id = (next += 1)) => ({
  id,
  kind,
  status,
  requestedAt: new Date(Date.UTC(2031, 2, 5, 18, minute)),
});
const ids = (requests: readonly { id: number }[]) => requests.map((r) => r.id);

describe('floorOrder', () => {
  it('puts formal motions first, then ad vocem, then regular, each by request time', () => {
    const queue = [
      request(REGULAR, WAITING, 1, 1),
      request(AD_VOCEM, WAITING, 2, 2),
      request(REGULAR, WAITING, 3, 3),
      request(FORMAL_MOTION, WAITING, 4, 4),
      request(AD_VOCEM, WAITING, 5, 5),
      request(FORMAL_MOTION, WAITING, 6, 6),
    ];
    expect(ids(floorOrder(queue))).toEqual([4, 6, 2, 5, 1, 3]);
  });

  it('puts whoever speaks first, whatever the kind or time, and the finished last by request time', () => {
    const queue = [
      request(FORMAL_MOTION, DONE, 0, 1),
      request(FORMAL_MOTION, WAITING, 9, 2),
      request(REGULAR, SPEAKING, 8, 3),
      request(REGULAR, WITHDRAWN, 1, 4),
      request(AD_VOCEM, DONE, 2, 5),
      request(REGULAR, WAITING, 3, 6),
    ];
    expect(ids(floorOrder(queue))).toEqual([3, 2, 6, 1, 4, 5]);
  });

  it('orders the finished by request time alone, kinds mixed, done and withdrawn alike', () => {
    const queue = [
      request(REGULAR, DONE, 3, 1),
      request(FORMAL_MOTION, WITHDRAWN, 2, 2),
      request(AD_VOCEM, DONE, 1, 3),
    ];
    expect(ids(floorOrder(queue))).toEqual([3, 2, 1]);
  });

  it('breaks a tie of the same kind and time by the order of asking (the id)', () => {
    const queue = [request(REGULAR, WAITING, 1, 7), request(REGULAR, WAITING, 1, 5), request(REGULAR, WAITING, 1, 6)];
    expect(ids(floorOrder(queue))).toEqual([5, 6, 7]);
  });

  it('leaves its input as it was, and returns an empty queue for none', () => {
    const queue = [request(REGULAR, WAITING, 2, 1), request(FORMAL_MOTION, WAITING, 3, 2)];
    const copy = [...queue];
    expect(ids(floorOrder(queue))).toEqual([2, 1]);
    expect(queue).toEqual(copy);
    expect(floorOrder([])).toEqual([]);
  });
});
