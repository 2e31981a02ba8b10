/**
 * Micro-benchmark (`node --import tsx bench/compare-payload-parse.bench.ts`, part of `npm run bench`): the CPU of reading the commits of a
 * 10,000-commit deploy from GitHub, REST compare (100 pages of 100 commits, every field GitHub sends for a commit,
 * `files: []`: a lower bound) versus GraphQL history (100 pages of `history(first: 100)` asking only for oid,
 * message, author name/date/login and parent oids). Each side: JSON.parse of the response bodies, then our zod
 * schema and mapping to CommitInfo; and the REST pages parsed the way octokit's request parses a body
 * (json-with-bigint's JSONParse). Same commits, same messages. CPU time (process.cpuUsage)
 * per pass, median of RUNS after a warm-up; bytes on the wire. Prints a Markdown table.
 */
import { z } from 'zod';
import { JSONParse } from 'json-with-bigint';
import { comparePageSchema } from '../src/github/github-history-source.js';

const RUNS = Number(process.env['BENCH_RUNS'] ?? 7);
const PAGES = 100;
const PER_PAGE = 100;

const sha = (n: number) => n.toString(16).padStart(8, '0').repeat(5);

function restUser(login: string, id: number) {
  const api = `https://api.github.com/users/${login}`;
  return {
    login,
    id,
    node_id: `MDQ6VXNlcj${id}`,
    avatar_url: `https://avatars.githubusercontent.com/u/${id}?v=4`,
    gravatar_id: '',
    url: api,
    html_url: `https://github.com/${login}`,
    followers_url: `${api}/followers`,
    following_url: `${api}/following{/other_user}`,
    gists_url: `${api}/gists{/gist_id}`,
    starred_url: `${api}/starred{/owner}{/repo}`,
    subscriptions_url: `${api}/subscriptions`,
    organizations_url: `${api}/orgs`,
    repos_url: `${api}/repos`,
    events_url: `${api}/events{/privacy}`,
    received_events_url: `${api}/received_events`,
    type: 'User',
    user_view_type: 'public',
    site_admin: false,
  };
}

const message = (n: number) => `PROJ-${(n % 2000) + 1}: change ${n} to the checkout flow\n\nA body line that explains the change in a sentence or two.`;

function restCommit(n: number) {
  const s = sha(n);
  const repoApi = 'https://api.github.com/repos/acme/shop';
  const person = { name: `Dev ${n % 50}`, email: `dev${n % 50}@example.com`, date: '2026-11-20T10:00:00Z' };
  return {
    sha: s,
    node_id: `C_kwDOAbc${n}`,
    commit: {
      author: person,
      committer: { name: 'GitHub', email: 'noreply@github.com', date: '2026-11-20T10:00:00Z' },
      message: message(n),
      tree: { sha: sha(n + 1e6), url: `${repoApi}/git/trees/${sha(n + 1e6)}` },
      url: `${repoApi}/git/commits/${s}`,
      comment_count: 0,
      verification: { verified: false, reason: 'unsigned', signature: null, payload: null, verified_at: null },
    },
    url: `${repoApi}/commits/${s}`,
    html_url: `https://github.com/acme/shop/commit/${s}`,
    comments_url: `${repoApi}/commits/${s}/comments`,
    author: restUser(`dev${n % 50}`, 1000 + (n % 50)),
    committer: restUser('web-flow', 19864447),
    parents: [{ sha: sha(n - 1), url: `${repoApi}/commits/${sha(n - 1)}`, html_url: `https://github.com/acme/shop/commit/${sha(n - 1)}` }],
  };
}

function restPage(page: number): string {
  const base = restCommit(0);
  return JSON.stringify({
    url: 'https://api.github.com/repos/acme/shop/compare/a...b',
    html_url: 'https://github.com/acme/shop/compare/a...b',
    permalink_url: 'https://github.com/acme/shop/compare/acme:a...acme:b',
    diff_url: 'https://github.com/acme/shop/compare/a...b.diff',
    patch_url: 'https://github.com/acme/shop/compare/a...b.patch',
    base_commit: base,
    merge_base_commit: base,
    status: 'ahead',
    ahead_by: PAGES * PER_PAGE,
    behind_by: 0,
    total_commits: PAGES * PER_PAGE,
    commits: Array.from({ length: PER_PAGE }, (_, i) => restCommit((page - 1) * PER_PAGE + i + 1)),
    files: [],
  });
}

function graphqlPage(page: number): string {
  return JSON.stringify({
    data: {
      repository: {
        object: {
          history: {
            pageInfo: { hasNextPage: page < PAGES, endCursor: `${sha(page)} ${page * PER_PAGE - 1}` },
            nodes: Array.from({ length: PER_PAGE }, (_, i) => {
              const n = (page - 1) * PER_PAGE + i + 1;
              return {
                oid: sha(n),
                message: message(n),
                author: { name: `Dev ${n % 50}`, date: '2026-11-20T10:00:00Z', user: { login: `dev${n % 50}` } },
                parents: { nodes: [{ oid: sha(n - 1) }] },
              };
            }),
          },
        },
      },
    },
  });
}

const graphqlPageSchema = z.object({
  data: z.object({
    repository: z.object({
      object: z.object({
        history: z.object({
          pageInfo: z.object({ hasNextPage: z.boolean(), endCursor: z.string().nullable() }),
          nodes: z.array(
            z.object({
              oid: z.string(),
              message: z.string(),
              author: z.object({ name: z.string().nullish(), date: z.string().nullish(), user: z.object({ login: z.string() }).nullish() }).nullish(),
              parents: z.object({ nodes: z.array(z.object({ oid: z.string() })) }),
            }),
          ),
        }),
      }),
    }),
  }),
});

function cpuMs(fn: () => void): number {
  const start = process.cpuUsage();
  fn();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

function measure(bodies: string[], schema: z.ZodType, toCommits: (parsed: any) => unknown[]) {
  let commits = 0;
  const parseOnly = () => {
    for (const b of bodies) JSON.parse(b);
  };
  const full = () => {
    commits = 0;
    for (const b of bodies) commits += toCommits(schema.parse(JSON.parse(b))).length;
  };
  parseOnly();
  full();
  const parse: number[] = [];
  const all: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    parse.push(cpuMs(parseOnly));
    all.push(cpuMs(full));
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  return { bytes: bodies.reduce((a, b) => a + Buffer.byteLength(b), 0), parseMs: median(parse), fullMs: median(all), commits };
}

const rest = measure(
  Array.from({ length: PAGES }, (_, i) => restPage(i + 1)),
  comparePageSchema,
  (p) =>
    (p as z.infer<typeof comparePageSchema>).commits.map((c) => ({
      sha: c.sha,
      message: c.commit.message,
      login: c.author?.login ?? null,
      parents: c.parents.map((x) => x.sha),
    })),
);
const graphql = measure(
  Array.from({ length: PAGES }, (_, i) => graphqlPage(i + 1)),
  graphqlPageSchema,
  (p) =>
    (p as z.infer<typeof graphqlPageSchema>).data.repository.object.history.nodes.map((c) => ({
      sha: c.oid,
      message: c.message,
      login: c.author?.user?.login ?? null,
      parents: c.parents.nodes.map((x) => x.oid),
    })),
);

/** What octokit's request does with a JSON body (json-with-bigint, to keep integers beyond 2^53) versus JSON.parse. */
function octokitParse(bodies: string[]) {
  const run = () => {
    for (const b of bodies) JSONParse(b);
  };
  run();
  const xs: number[] = [];
  for (let i = 0; i < RUNS; i++) xs.push(cpuMs(run));
  return [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
}
const restOctokitParseMs = octokitParse(Array.from({ length: PAGES }, (_, i) => restPage(i + 1)));

const mb = (b: number) => (b / 1024 / 1024).toFixed(1);
console.log(`${PAGES} pages × ${PER_PAGE} commits, CPU ms (median of ${RUNS}), Node ${process.version}\n`);
console.log('| source | bytes | JSON.parse | JSON.parse + zod + mapping | commits |');
console.log('|---|---:|---:|---:|---:|');
console.log(
  `| REST compare (full commit objects, files: []) | ${mb(rest.bytes)} MB | ${rest.parseMs.toFixed(0)} ms | ${rest.fullMs.toFixed(0)} ms | ${rest.commits} |`,
);
console.log(
  `| GraphQL history (oid, message, author, parents) | ${mb(graphql.bytes)} MB | ${graphql.parseMs.toFixed(0)} ms | ${graphql.fullMs.toFixed(0)} ms | ${graphql.commits} |`,
);
console.log(`| REST compare, parsed by octokit (json-with-bigint JSONParse) | ${mb(rest.bytes)} MB | ${restOctokitParseMs.toFixed(0)} ms | |`);
console.log(`\nGraphQL / REST: bytes ${(graphql.bytes / rest.bytes).toFixed(2)}, parse + zod CPU ${(graphql.fullMs / rest.fullMs).toFixed(2)}.`);
