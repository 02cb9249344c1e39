import type { MigrationInterface } from 'typeorm';
import { InitialSchema1795532282460 } from './1795532282460-InitialSchema';
import { ReferenceData1795532282461 } from './1795532282461-ReferenceData';
import { OneItemInProgress1795533915948 } from './1795533915948-OneItemInProgress';
import { DataVersion1795607236540 } from './1795607236540-DataVersion';
import { RateLimits1796307536520 } from './1796307536520-RateLimits';
import { BoundedEventLog1796400000000 } from './1796400000000-BoundedEventLog';
import { Decisions1796409144975 } from './1796409144975-Decisions';
import { ScopedDataVersions1796411105956 } from './1796411105956-ScopedDataVersions';
import { SessionPageIndexes1796411175927 } from './1796411175927-SessionPageIndexes';
import { EventKey1796500000000 } from './1796500000000-EventKey';
import { PolishSearch1796600000000 } from './1796600000000-PolishSearch';
import { ChangeLog1796610000001 } from './1796610000001-ChangeLog';
import { LifecycleEventIndex1796630000001 } from './1796630000001-LifecycleEventIndex';
import { Webhooks1796640000001 } from './1796640000001-Webhooks';
import { LeanerWriteTriggers1796650000001 } from './1796650000001-LeanerWriteTriggers';
import { SessionBodyTermPageIndex1796660000001 } from './1796660000001-SessionBodyTermPageIndex';

/** Every migration, in order; listed rather than globbed so ts-jest and dist/ run the same ones. */
export const migrations: (new () => MigrationInterface)[] = [
  InitialSchema1795532282460,
  ReferenceData1795532282461,
  OneItemInProgress1795533915948,
  DataVersion1795607236540,
  RateLimits1796307536520,
  BoundedEventLog1796400000000,
  Decisions1796409144975,
  ScopedDataVersions1796411105956,
  SessionPageIndexes1796411175927,
  EventKey1796500000000,
  PolishSearch1796600000000,
  ChangeLog1796610000001,
  LifecycleEventIndex1796630000001,
  Webhooks1796640000001,
  LeanerWriteTriggers1796650000001,
  SessionBodyTermPageIndex1796660000001,
];
