import { html } from './html';
import type { Html } from './html';

/** What the front page shows from the data: public fields only, each escaped by `html`. */
export interface FrontPageData {
  readonly inProgress: readonly {
    readonly id: string;
    readonly title: string;
    readonly bodyName: string;
    readonly synthetic: boolean;
  }[];
  readonly districts: readonly { readonly number: number; readonly numeral: string; readonly name: string }[];
  /** False with EXPLORER=off: the page then does not link to it. */
  readonly explorer: boolean;
}

/**
 * The front page at `/`: what Obrady is, in Polish and English, and where to go next — the explorer, the screens of
 * the sessions in progress, the exports, calendars and feeds, the schema. No script: nothing on it needs one.
 */
export function frontPage(data: FrontPageData): Html {
  const sessions = data.inProgress.length
    ? html`<ul>
        ${data.inProgress.map(
          (session) =>
            html`<li>
              <a href="/screen/sessions/${encodeURIComponent(session.id)}">${session.title}</a> — ${session.bodyName}
              ${session.synthetic ? html`<span lang="pl">(dane syntetyczne)</span> <span lang="en" class="en">(synthetic)</span>` : ''}
            </li>`,
        )}
      </ul>`
    : html`<p>Żadna sesja nie trwa teraz. <span lang="en" class="en">No session is in progress now.</span></p>`;
  return html`<!doctype html>
    <html lang="pl">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>Obrady — rady i zarządy dzielnic Krakowa na żywo</title>
        <link rel="stylesheet" href="/assets/pages/pages.css" />
      </head>
      <body>
        <header>
          <h1>Obrady</h1>
          <p>
            Posiedzenia rad i zarządów osiemnastu dzielnic Krakowa, Konwentu Przewodniczących i Rady Miasta — na żywo,
            przez otwarte API GraphQL.
            <span lang="en" class="en"
              >The meetings of Kraków's eighteen district councils and boards, the Convention and the City Council —
              live, through an open GraphQL API.</span
            >
          </p>
        </header>
        <main>
          <div class="columns">
            <section aria-labelledby="what-pl">
              <h2 id="what-pl">Czym jest Obrady</h2>
              <p>
                Obrady publikuje porządek obrad, obecność, kworum, głosowania i kolejkę mówców każdej sesji w chwili,
                gdy protokolant je wpisuje. Każdy może je czytać i subskrybować bez logowania; dane osobowe radnych inne
                niż publiczne nie są udostępniane, a w głosowaniu tajnym nigdzie nie ma zapisu, kto jak głosował.
              </p>
            </section>
            <section aria-labelledby="what-en" lang="en">
              <h2 id="what-en">What Obrady is</h2>
              <p>
                Obrady publishes each session's agenda, attendance, quorum, votes and speakers' queue as the clerk
                records them. Anyone may read and subscribe without signing in; councillors' personal data beyond what
                is public is never served, and who voted how in a secret ballot is recorded nowhere.
              </p>
            </section>
          </div>

          <section aria-labelledby="api">
            <h2 id="api">API <span lang="en" class="en">· the API</span></h2>
            <ul>
              ${
                data.explorer
                  ? html`<li>
                      <a href="/explorer">Eksplorator GraphQL</a> — zapytania, mutacje i subskrypcje w przeglądarce, z
                      przykładami.
                      <span lang="en" class="en">The GraphQL explorer, with examples; it works offline.</span>
                    </li>`
                  : ''
              }
              <li>
                <code>POST /graphql</code>, <code>ws://…/graphql</code> (graphql-ws) —
                <span lang="en" class="en">the endpoint, for queries, mutations and subscriptions.</span>
              </li>
              <li>
                <a href="/schema.graphql">Schemat (SDL)</a> —
                <span lang="en" class="en">the schema, with a description of every type and field.</span>
              </li>
            </ul>
          </section>

          <section aria-labelledby="live">
            <h2 id="live">Trwające sesje <span lang="en" class="en">· sessions in progress</span></h2>
            ${sessions}
          </section>

          <section aria-labelledby="take-home">
            <h2 id="take-home">
              Eksporty, kalendarze, kanały <span lang="en" class="en">· exports, calendars, feeds</span>
            </h2>
            <ul>
              <li>
                <a href="/export/index.json">Eksporty danych</a> —
                <span lang="en" class="en">exports of the data, listed in <code>/export/index.json</code>.</span>
              </li>
              <li>
                <a href="/feeds/convention.ics">Kalendarz Konwentu Przewodniczących</a> —
                <span lang="en" class="en">the Convention's calendar (iCalendar).</span>
              </li>
              <li>
                Kalendarz i kanały każdego organu: <code>/feeds/bodies/{id}.ics</code>, <code>.atom</code>,
                <code>.rss</code>, <code>.json</code> —
                <span lang="en" class="en">each body's calendar and feeds, by the body's id from the API.</span>
              </li>
            </ul>
            <h3>Kalendarze dzielnic <span lang="en" class="en">· the districts' calendars</span></h3>
            <ul class="districts">
              ${data.districts.map(
                (district) =>
                  html`<li>
                    <a href="/feeds/districts/${district.number}.ics">${district.numeral} ${district.name}</a>
                  </li>`,
              )}
            </ul>
          </section>
        </main>
        <footer>
          <p>
            Fakty pochodzą wyłącznie z opublikowanych źródeł miasta; czego nie podają, tego Obrady nie zgaduje.
            <span lang="en" class="en"
              >Facts come only from the city's published sources; what they do not say stays unknown.</span
            >
          </p>
        </footer>
      </body>
    </html> `;
}
