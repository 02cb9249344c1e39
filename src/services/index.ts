import type { DataSource } from 'typeorm';
import { PeopleSearchService } from './people-search.service';
import { SessionSearchService } from './session-search.service';

/** The services, made once per server: they hold no per-request state. */
export function createServices(dataSource: DataSource) {
  return {
    sessionSearch: new SessionSearchService(dataSource),
    peopleSearch: new PeopleSearchService(dataSource),
  };
}

export type Services = ReturnType<typeof createServices>;
