import { describe, expect, it } from 'vitest';
import { createKeyMatcher, extractCommitKeys, extractKeys, findKeyLikeTokens, summarizeDeployKeys } from '../../src/core/jira-keys/extract-jira-keys.js';

const matcher = createKeyMatcher({ projects: ['PROJ', 'KAFKA', 'PARQUET'] });

interface KeyRow {
  readonly name: string;
  readonly text: string;
  readonly keys: readonly string[];
}

const notKeys: KeyRow[] = [
  { name: 'CVE-2023-4586 is not a key (a naive regex gives CVE-2023)', text: 'MINOR: Upgrade netty to 4.1.100.Final to fix CVE-2023-4586 (#14590)', keys: [] },
  { name: 'UTF-8 is not a key', text: 'MINOR: Always read the JAAS file as UTF-8 (#14211)', keys: [] },
  { name: 'ISO-8601 is not a key', text: 'MINOR: Log the expiry time as ISO-8601 (#14388)', keys: [] },
  { name: 'SHA-256 is not a key', text: 'MINOR: Publish SHA-256 checksums of the release artifacts', keys: [] },
  { name: 'KIP-714 next to a real key gives only the real key', text: 'KAFKA-15778: Implement KIP-714 client metrics plugin (#14620)', keys: ['KAFKA-15778'] },
  { name: 'PR-14347 is not a key', text: 'MINOR: Follow-up to PR-14347, fix javadoc (#14361)', keys: [] },
  {
    name: 'GH-35086 next to a real key gives only the real key',
    text: 'PARQUET-2417: Add support for geometry logical type (GH-35086)',
    keys: ['PARQUET-2417'],
  },
  { name: 'PLAINTEXT-0 is not a key', text: 'MINOR: Name the test listener PLAINTEXT-0 (#14480)', keys: [] },
  {
    name: 'JDK-8015831 next to a real key gives only the real key',
    text: 'KAFKA-15500: Work around JDK-8015831 in the class loader (#14410)',
    keys: ['KAFKA-15500'],
  },
  {
    name: 'HADOOP-18103 of another project is rejected',
    text: 'PARQUET-2171: Implement vectored IO in parquet file format (HADOOP-18103)',
    keys: ['PARQUET-2171'],
  },
  { name: 'SPARK-42382 of another project is rejected', text: 'MINOR: Align the decimal rescaling with SPARK-42382', keys: [] },
  { name: 'a project key glued to a longer word (XPROJ-12) is rejected', text: 'Port XPROJ-12 fix', keys: [] },
  { name: 'a longer project key that starts with a configured one (PROJX-12) is rejected', text: 'Port PROJX-12 fix', keys: [] },
];

const versionsAndPaths: KeyRow[] = [
  { name: 'apache-parquet-1.13.0-rc0 is a version, not PARQUET-1', text: '[maven-release-plugin] prepare release apache-parquet-1.13.0-rc0', keys: [] },
  { name: 'kafka-3.6.2.jar is a file name, not KAFKA-3', text: 'MINOR: Drop kafka-3.6.2.jar from the system test image (#14999)', keys: [] },
  {
    name: '/tmp/kafka-2594137463116889965 is a path with a 19-digit number, not a key',
    text: 'MINOR: Delete /tmp/kafka-2594137463116889965 after the test (#14702)',
    keys: [],
  },
  { name: 'a short lower-case number in a path (/tmp/kafka-123) is not a key', text: 'MINOR: Log dir moved to /tmp/kafka-123', keys: [] },
  { name: 'an upper-case version string (PROJ-1.2.3) is not a key', text: 'Release PROJ-1.2.3 to staging', keys: [] },
  { name: 'a lower-case key before a file extension (proj-12.txt) is a file name, not a key', text: 'Rename proj-12.txt to notes.txt', keys: [] },
  { name: 'an upper-case key before a file extension (PROJ-12.txt) is still a key', text: 'Add PROJ-12.txt fixture', keys: ['PROJ-12'] },
];

const numbers: KeyRow[] = [
  { name: 'a 7-digit number is a key', text: 'PROJ-1234567: Big instance', keys: ['PROJ-1234567'] },
  { name: 'an 8-digit number is not a key', text: 'PROJ-12345678: Too long', keys: [] },
  { name: 'a 19-digit number is not a key', text: 'PROJ-2594137463116889965', keys: [] },
  { name: 'PROJ-0 is not a key', text: 'PROJ-0: Placeholder', keys: [] },
  { name: 'a number with a leading zero (PROJ-012) is not a key', text: 'PROJ-012: Zero padded', keys: [] },
  { name: 'a key followed by a dash and digits keeps its own number (upper case)', text: 'PROJ-12-2 follow-up', keys: ['PROJ-12'] },
];

const punctuation: KeyRow[] = [
  { name: '[PROJ-12] in brackets', text: '[PROJ-12] Add login page', keys: ['PROJ-12'] },
  { name: 'PROJ-12: before a colon', text: 'PROJ-12: Add login page', keys: ['PROJ-12'] },
  { name: '`PROJ-12` in backticks', text: 'Finish `PROJ-12` login page', keys: ['PROJ-12'] },
  { name: '(PROJ-12) in parentheses', text: 'Add login page (PROJ-12)', keys: ['PROJ-12'] },
  { name: 'PROJ-4804. at the end of a sentence', text: 'Fix the NPE reported in PROJ-4804.', keys: ['PROJ-4804'] },
  { name: '[PROJ-1254] of the corpus punctuation list', text: '[PROJ-1254] Support nested schemas', keys: ['PROJ-1254'] },
  { name: '`PROJ-2472` of the corpus punctuation list', text: 'Address review of `PROJ-2472`', keys: ['PROJ-2472'] },
  { name: 'PROJ-2590_doc with an underscore suffix', text: 'PROJ-2590_doc: Document the option', keys: ['PROJ-2590'] },
  { name: 'PROJ-910: of the corpus punctuation list', text: 'PROJ-910: Fix reader', keys: ['PROJ-910'] },
  { name: 'a key at the very end of the text', text: 'Add login page for PROJ-12', keys: ['PROJ-12'] },
  { name: 'a key after a leading space', text: ' KAFKA-15629: Update the timestamped store adapter', keys: ['KAFKA-15629'] },
  { name: 'an upper-case key after an underscore (fix_PROJ-12) is accepted', text: 'Merge fix_PROJ-12 into deploy', keys: ['PROJ-12'] },
  { name: 'an upper-case key after a dash (hotfix-PROJ-12-login) is accepted', text: 'Merge branch hotfix-PROJ-12-login', keys: ['PROJ-12'] },
  { name: 'a lower-case key after an underscore (my_proj-12) is rejected', text: 'Rename my_proj-12 helper', keys: [] },
  { name: 'a key after a dot (v1.PROJ-12) is rejected', text: 'tag v1.PROJ-12', keys: [] },
];

const severalKeys: KeyRow[] = [
  {
    name: 'several keys in one subject (KAFKA-16837, KAFKA-16838:)',
    text: 'KAFKA-16837, KAFKA-16838: Ignore task configs for deleted connectors (#16122)',
    keys: ['KAFKA-16837', 'KAFKA-16838'],
  },
  { name: 'several keys separated by a comma without space', text: 'PROJ-5,PROJ-6: Login and logout', keys: ['PROJ-5', 'PROJ-6'] },
  { name: 'keys of several configured projects', text: 'PROJ-3 and KAFKA-4 together', keys: ['PROJ-3', 'KAFKA-4'] },
  { name: 'a repeated key is reported once', text: 'PROJ-12: Fix PROJ-12 for real this time', keys: ['PROJ-12'] },
  { name: 'keys come in order of first appearance', text: 'PROJ-30: Tidy up\n\nRefs: PROJ-2, PROJ-30, PROJ-1', keys: ['PROJ-30', 'PROJ-2', 'PROJ-1'] },
];

const bodies: KeyRow[] = [
  { name: 'a key only in the body counts', text: 'Improve default model selection (#1091)\n\nThis also fixes PARQUET-2265.', keys: ['PARQUET-2265'] },
  {
    name: 'a (cherry picked from commit …) line adds no key',
    text: 'KAFKA-16141: Fix StreamsStandbyTask system test (#15217)\n\n(cherry picked from commit 8b9715bb0c3c4e3b4c9e0ef2d0b1f7d7e5d7a1c2)',
    keys: ['KAFKA-16141'],
  },
  {
    name: 'a branch name in Closes #2154 from user/PROJ-4541-take-2 counts',
    text: 'PROJ-4540: Fix reader\n\nCloses #2154 from user/PROJ-4541-take-2',
    keys: ['PROJ-4540', 'PROJ-4541'],
  },
  { name: 'a Refs: PROJ-1167 body line counts', text: 'PROJ-1200: Fix writer\n\nRefs: PROJ-1167', keys: ['PROJ-1200', 'PROJ-1167'] },
  { name: 'a since PROJ-3484 body line counts', text: 'PROJ-3500: Fix reader\n\nBroken since PROJ-3484 was merged.', keys: ['PROJ-3500', 'PROJ-3484'] },
  { name: 'CRLF line ends are handled', text: 'PROJ-1: Subject\r\n\r\nKAFKA 14515: in the body\r\nPROJ-2', keys: ['PROJ-1', 'KAFKA-14515', 'PROJ-2'] },
];

const noKey: KeyRow[] = [
  { name: 'MINOR: has no key', text: 'MINOR: Fix typo in the consumer javadoc (#14500)', keys: [] },
  { name: 'HOTFIX: has no key', text: 'HOTFIX: Fix compilation error (#14520)', keys: [] },
  { name: 'TRIVIAL: has no key', text: 'TRIVIAL: Remove unused import', keys: [] },
  { name: 'a dependabot Bump has no key', text: 'Bump com.fasterxml.jackson.core:jackson-databind from 2.14.2 to 2.15.0 (#1100)', keys: [] },
  { name: 'release plumbing (Bump version to 3.7.0) has no key', text: 'Bump version to 3.7.0', keys: [] },
  { name: 'an empty message has no key', text: '', keys: [] },
];

const caseAndSeparator: KeyRow[] = [
  {
    name: 'decision: Kafka-14748: (mixed case, dash, standing alone) is a key',
    text: 'Kafka-14748: Relax non-null FK left-join requirement (#14107)',
    keys: ['KAFKA-14748'],
  },
  { name: 'decision: proj-12 (lower case, dash, standing alone) is a key', text: 'proj-12 add login page', keys: ['PROJ-12'] },
  { name: 'decision: pRoJ-12 (any case, standing alone) is a key', text: 'Login page (pRoJ-12)', keys: ['PROJ-12'] },
  { name: 'decision: lower case after a slash (feature/proj-12-login) is not a key', text: 'Merge branch feature/proj-12-login', keys: [] },
  { name: 'decision: lower case after a dot (x.proj-12) is not a key', text: 'Load x.proj-12 settings', keys: [] },
  { name: 'decision: lower case after a dash (apache-proj-12) is not a key', text: 'Tag apache-proj-12', keys: [] },
  { name: 'decision: lower case followed by a dash and digits (proj-12-3) is not a key', text: 'Use proj-12-3 layout', keys: [] },
  { name: 'decision: PROJ_4929 (upper case, underscore) is a key', text: 'PROJ_4929: Handle null in the parser', keys: ['PROJ-4929'] },
  { name: 'decision: PROJ_12 after a slash is a key like the dash form', text: 'Merge branch feature/PROJ_12_login', keys: ['PROJ-12'] },
  { name: 'decision: proj_12 (lower case, underscore) is not a key', text: 'Call proj_12 helper', keys: [] },
  {
    name: 'decision: KAFKA 14515: (space, leading key before a colon) is a key',
    text: 'KAFKA 14515: Optimized Uniform Rack Aware Assignor (#14416)',
    keys: ['KAFKA-14515'],
  },
  {
    name: 'decision: Kafka 12317: (space, mixed case, leading before a colon) is a key',
    text: 'Kafka 12317: Relax non-null key requirement in Kafka Streams (#14174)',
    keys: ['KAFKA-12317'],
  },
  { name: 'decision: [PROJ 12] (space, leading before a bracket) is a key', text: '[PROJ 12] Add login page', keys: ['PROJ-12'] },
  { name: 'decision: a bulleted body line starting with PROJ 12: is a key', text: 'Squashed\n\n* PROJ 12: Add login page', keys: ['PROJ-12'] },
  { name: 'decision: PROJ 12 with a space in prose is not a key', text: 'Moved to PROJ 2 servers', keys: [] },
  { name: 'decision: PROJ 12: with a space not at the start of a line is not a key', text: 'Fix for PROJ 12: login', keys: [] },
  { name: 'decision: PROJ 12 with a space at the start but without colon or bracket is not a key', text: 'PROJ 12 login page', keys: [] },
  { name: 'decision: KAKFA-15629: (a typo of the project key) is not a key', text: 'KAKFA-15629: Update the timestamped store adapter (#14562)', keys: [] },
];

const urlsAndBranches: KeyRow[] = [
  { name: 'a /browse/PROJ-12 URL counts', text: 'See https://acme.atlassian.net/browse/PROJ-12 for details', keys: ['PROJ-12'] },
  { name: 'a /browse/PROJ-12 URL with a query counts', text: 'https://acme.atlassian.net/browse/PROJ-12?focusedCommentId=1', keys: ['PROJ-12'] },
  { name: 'decision: a lower-case /browse/proj-12 URL is not a key (lower case after a slash)', text: 'https://acme.atlassian.net/browse/proj-12', keys: [] },
  { name: 'a branch name feature/PROJ-12-login counts', text: 'feature/PROJ-12-login', keys: ['PROJ-12'] },
  { name: 'a bare branch name PROJ-12-login counts', text: 'PROJ-12-login', keys: ['PROJ-12'] },
  { name: 'a merge subject with a branch name counts', text: "Merge branch 'feature/PROJ-12-login' into deploy", keys: ['PROJ-12'] },
];

describe('extractKeys (projects PROJ, KAFKA, PARQUET configured)', () => {
  describe.each([
    ['not keys', notKeys],
    ['versions, paths and file names', versionsAndPaths],
    ['numbers', numbers],
    ['punctuation around keys', punctuation],
    ['several keys', severalKeys],
    ['message bodies', bodies],
    ['no key at all', noKey],
    ['case and separator variants', caseAndSeparator],
    ['URLs and branch names', urlsAndBranches],
  ] as const)('%s', (_group, rows) => {
    it.each(rows)('$name', ({ text, keys }) => {
      expect(extractKeys(text, matcher)).toEqual(keys);
    });
  });
});

describe('createKeyMatcher: configured versus discovered projects', () => {
  it.each([
    {
      name: 'configured CVE counts CVE-2023 (the denylist applies only to discovered projects)',
      options: { projects: ['CVE', 'PROJ'] },
      text: 'Fix CVE-2023-4586 in PROJ-7',
      keys: ['CVE-2023', 'PROJ-7'],
    },
    {
      name: 'configured KIP and PR count their keys',
      options: { projects: ['KIP', 'PR'] },
      text: 'KIP-714 and PR-14347',
      keys: ['KIP-714', 'PR-14347'],
    },
    {
      name: 'discovered CVE, UTF, ISO, SHA, KIP, PR, GH, JDK, PLAINTEXT are dropped by the denylist',
      options: { projects: ['CVE', 'UTF', 'ISO', 'SHA', 'KIP', 'PR', 'GH', 'JDK', 'PLAINTEXT', 'PROJ'], projectsDiscovered: true },
      text: 'PROJ-7: CVE-2023-4586, UTF-8, ISO-8601, SHA-256, KIP-714, PR-14347, GH-35086, JDK-8015831, PLAINTEXT-0',
      keys: ['PROJ-7'],
    },
    {
      name: 'discovered projects outside the denylist count',
      options: { projects: ['HADOOP', 'PROJ'], projectsDiscovered: true },
      text: 'PROJ-7 needs HADOOP-18103',
      keys: ['PROJ-7', 'HADOOP-18103'],
    },
    {
      name: 'project keys are trimmed and upper-cased',
      options: { projects: [' proj ', 'ops'] },
      text: 'PROJ-1 and OPS-2',
      keys: ['PROJ-1', 'OPS-2'],
    },
    {
      name: 'project keys of an impossible shape are ignored',
      options: { projects: ['1AB', 'A-B', 'A B', '', 'PROJ'] },
      text: '1AB-1 A-B-2 A B-3 PROJ-4',
      keys: ['PROJ-4'],
    },
    {
      name: 'a longer project key is not shadowed by a shorter one (PROJ and PROJX)',
      options: { projects: ['PROJ', 'PROJX'] },
      text: 'PROJX-1 and PROJ-2',
      keys: ['PROJX-1', 'PROJ-2'],
    },
    {
      name: 'no projects match nothing',
      options: { projects: [] },
      text: 'PROJ-1 KAFKA-2',
      keys: [],
    },
  ])('$name', ({ options, text, keys }) => {
    expect(extractKeys(text, createKeyMatcher(options))).toEqual(keys);
  });

  it('exposes the normalised project set, denylisted prefixes removed only when discovered', () => {
    expect([...createKeyMatcher({ projects: ['proj', 'CVE'] }).projects]).toEqual(['PROJ', 'CVE']);
    expect([...createKeyMatcher({ projects: ['proj', 'CVE'], projectsDiscovered: true }).projects]).toEqual(['PROJ']);
  });
});

describe('findKeyLikeTokens (projects PROJ, KAFKA, PARQUET configured)', () => {
  it.each([
    { name: 'finds the typo KAKFA-15629', text: 'KAKFA-15629: Update the timestamped store adapter (#14562)', tokens: ['KAKFA-15629'] },
    { name: 'does not report a configured key', text: 'KAFKA-15629: Update the adapter', tokens: [] },
    { name: 'does not report a configured key written in another case', text: 'Kafka-14748: Relax requirement', tokens: [] },
    { name: 'does not report known non-keys such as CVE-2023 and KIP-714 (no "typo?" hint for them)', text: 'Fix CVE-2023-4586, see KIP-714', tokens: [] },
    { name: 'reports a typo of a project key', text: 'KAKFA-15629: Update upgrade-guide.html', tokens: ['KAKFA-15629'] },
    { name: 'reports keys of other projects', text: 'Needs HADOOP-18103 and SPARK-42382', tokens: ['HADOOP-18103', 'SPARK-42382'] },
    { name: 'ignores lower-case tokens', text: 'kakfa-15629: typo', tokens: [] },
    { name: 'ignores tokens inside paths', text: 'see /tmp/KAKFA-1', tokens: [] },
    { name: 'ignores version strings', text: 'upgrade to FOO-1.2', tokens: [] },
    { name: 'reports each token once', text: 'KAKFA-1 then KAKFA-1 again', tokens: ['KAKFA-1'] },
  ])('$name', ({ text, tokens }) => {
    expect(findKeyLikeTokens(text, matcher)).toEqual(tokens);
  });
});

describe('extractCommitKeys: what one commit ships and reverts', () => {
  it.each([
    {
      name: 'a plain commit ships its keys',
      message: 'PROJ-12: Add login page\n\nRefs: PROJ-3',
      ships: ['PROJ-12', 'PROJ-3'],
      reverts: [],
    },
    {
      name: 'Revert "PROJ-1 …" reverts PROJ-1 and ships nothing',
      message: 'Revert "PROJ-1: Add login page"\n\nThis reverts commit 0123456789abcdef0123456789abcdef01234567.',
      ships: [],
      reverts: ['PROJ-1'],
    },
    {
      name: 'the corpus revert of KAFKA-15661 with pull-request numbers reverts KAFKA-15661',
      message:
        'Revert "KAFKA-15661: KIP-951: Server side changes (#14444)" (#14738)\n\nThis reverts commit f38b0d8.\r\n\r\nTrying to find the root cause of a failing test.',
      ships: [],
      reverts: ['KAFKA-15661'],
    },
    {
      name: 'a double Revert "Revert "PROJ-1 …"" re-applies PROJ-1',
      message: 'Revert "Revert "PROJ-1: Add login page""\n\nThis reverts commit 0123456.',
      ships: ['PROJ-1'],
      reverts: [],
    },
    {
      name: 'the corpus double revert of KAFKA-15661 with pull-request numbers ships KAFKA-15661',
      message:
        'Revert "Revert "KAFKA-15661: KIP-951: Server side changes (#14444)" (#14738)" (#14747)\n\nA fix for that was merged in #14757, hence unreverting this change.',
      ships: ['KAFKA-15661'],
      reverts: [],
    },
    {
      name: 'a triple revert reverts again',
      message: 'Revert "Revert "Revert "PROJ-1: Add login page"""',
      ships: [],
      reverts: ['PROJ-1'],
    },
    {
      name: 'Reapply "PROJ-1 …" (newer git) ships PROJ-1',
      message: 'Reapply "PROJ-1: Add login page"\n\nThis reverts commit 0123456.',
      ships: ['PROJ-1'],
      reverts: [],
    },
    {
      name: 'PROJ-2: Revert "PROJ-1: …" ships PROJ-2 and reverts PROJ-1',
      message: 'PROJ-2: Revert "PROJ-1: Add login page"',
      ships: ['PROJ-2'],
      reverts: ['PROJ-1'],
    },
    {
      name: 'KAFKA-16089: Revert "KAFKA-14412: …" ships KAFKA-16089 and reverts KAFKA-14412',
      message: 'KAFKA-16089: Revert "KAFKA-14412: Better Rocks column family management" (#15145)',
      ships: ['KAFKA-16089'],
      reverts: ['KAFKA-14412'],
    },
    {
      name: 'squashed body bullets * Revert "PROJ-3: …" revert PROJ-3 while other bullets ship',
      message: 'PROJ-2: Squash the login work\n\n* Revert "PROJ-3: Old login page"\n* PROJ-4: New login page',
      ships: ['PROJ-2', 'PROJ-4'],
      reverts: ['PROJ-3'],
    },
    {
      name: 'the corpus squash KAFKA-16089 reverts both bullets KAFKA-16086 and KAFKA-14412',
      message:
        'KAFKA-16089: Revert "KAFKA-14412: Better Rocks column family management" (#15145)\n\n* Revert "KAFKA-16086: Fix memory leak in RocksDBStore (#15135)"\r\n\r\nThis reverts commit 58d6d2e5922df60cdc5c5c1bcd1c2d82dd2b71e2.\r\n\r\n* Revert "KAFKA-14412: Better Rocks column family management (#14852)"\r\n\r\nThis reverts commit 20a223061c6cbb6ebae7ddfacc4bc89f807bda70.',
      ships: ['KAFKA-16089'],
      reverts: ['KAFKA-14412', 'KAFKA-16086'],
    },
    {
      name: 'body keys of a pure revert commit are context, not shipped',
      message: 'Revert "PROJ-1: Add login page"\n\nThis reverts commit 0123456.\nIt broke PROJ-9 in staging; see PROJ-10.',
      ships: [],
      reverts: ['PROJ-1'],
    },
    {
      name: 'a pure revert of a commit without a key ships and reverts nothing, body keys included',
      message: 'Revert "MINOR: Add junit properties (#14687)" (#14961)\n\nWe found out that this broke PROJ-9.',
      ships: [],
      reverts: [],
    },
    {
      name: 'body keys of a double revert ship',
      message: 'Revert "Revert "PROJ-1: Add login page""\n\nFixed by PROJ-9.',
      ships: ['PROJ-1', 'PROJ-9'],
      reverts: [],
    },
    {
      name: 'a key after the closing quote belongs to the reverting commit (Revert "Add login page" (PROJ-7))',
      message: 'Revert "Add login page" (PROJ-7)',
      ships: ['PROJ-7'],
      reverts: [],
    },
    {
      name: 'a commit that reverts an earlier attempt of its own ticket ships it',
      message: 'PROJ-1: Revert "PROJ-1: First attempt at the login page"',
      ships: ['PROJ-1'],
      reverts: [],
    },
    {
      name: 'only git\'s Revert "…" form reverts: lower-case prose revert PROJ-1 ships',
      message: 'PROJ-5: revert PROJ-1 partially',
      ships: ['PROJ-5', 'PROJ-1'],
      reverts: [],
    },
  ])('$name', ({ message, ships, reverts }) => {
    const refs = extractCommitKeys(message, matcher);
    expect({ ships: refs.ships, reverts: refs.reverts }).toEqual({ ships, reverts });
  });
});

describe('summarizeDeployKeys: net effect of a range, oldest first', () => {
  const apply = { sha: 'a1', message: 'PROJ-1: Add login page' };
  const revert = { sha: 'b2', message: 'Revert "PROJ-1: Add login page"' };
  const reapply = { sha: 'c3', message: 'Revert "Revert "PROJ-1: Add login page""' };
  const takeTwo = { sha: 'd4', message: 'PROJ-1: Add login page, take two' };
  const other = { sha: 'e5', message: 'PROJ-2: Add logout' };
  const minor = { sha: 'f6', message: 'MINOR: Fix typo' };

  it.each([
    { name: 'a key shipped then reverted is reverted', commits: [apply, revert], shipped: {}, reverted: { 'PROJ-1': ['a1', 'b2'] } },
    { name: 'a revert and its re-apply in one range ship', commits: [apply, revert, reapply], shipped: { 'PROJ-1': ['a1', 'b2', 'c3'] }, reverted: {} },
    {
      name: 'a revert followed by a fresh commit of the key ships',
      commits: [apply, revert, takeTwo],
      shipped: { 'PROJ-1': ['a1', 'b2', 'd4'] },
      reverted: {},
    },
    { name: 'a revert alone (the original is already in production) is reverted', commits: [revert], shipped: {}, reverted: { 'PROJ-1': ['b2'] } },
    {
      name: 'the same key in many commits lists every commit, oldest first',
      commits: [apply, other, takeTwo, minor],
      shipped: { 'PROJ-1': ['a1', 'd4'], 'PROJ-2': ['e5'] },
      reverted: {},
    },
    { name: 'commits without keys ship nothing', commits: [minor], shipped: {}, reverted: {} },
    { name: 'the order matters: newest first would wrongly ship a reverted key', commits: [revert, apply], shipped: { 'PROJ-1': ['b2', 'a1'] }, reverted: {} },
  ])('$name', ({ commits, shipped, reverted }) => {
    const summary = summarizeDeployKeys(commits, matcher);
    expect(Object.fromEntries(summary.shipped)).toEqual(shipped);
    expect(Object.fromEntries(summary.reverted)).toEqual(reverted);
  });

  it('keeps what each commit ships and reverts by sha', () => {
    const summary = summarizeDeployKeys([apply, revert, minor], matcher);
    expect(Object.fromEntries(summary.byCommit)).toEqual({
      a1: { ships: ['PROJ-1'], reverts: [] },
      b2: { ships: [], reverts: ['PROJ-1'] },
      f6: { ships: [], reverts: [] },
    });
  });
});

describe('summarizeDeployKeys: reverts that name the commit they revert', () => {
  const m = createKeyMatcher({ projects: ['PROJ'] });
  const sha = (n: number) => String(n).repeat(40).slice(0, 40);

  it('a revert of one follow-up commit leaves the story shipping', () => {
    const s = summarizeDeployKeys(
      [
        { sha: sha(1), message: 'PROJ-1: first part' },
        { sha: sha(2), message: 'PROJ-1: follow-up' },
        { sha: sha(3), message: `Revert "PROJ-1: follow-up"\n\nThis reverts commit ${sha(2)}.` },
      ],
      m,
    );
    expect([...s.shipped.keys()]).toEqual(['PROJ-1']);
    expect(s.reverted.size).toBe(0);
  });

  it('reverting every commit of a story takes it out', () => {
    const s = summarizeDeployKeys(
      [
        { sha: sha(1), message: 'PROJ-1: only part' },
        { sha: sha(3), message: `Revert "PROJ-1: only part"\n\nThis reverts commit ${sha(1).slice(0, 12)}.` },
      ],
      m,
    );
    expect(s.shipped.size).toBe(0);
    expect([...s.reverted.keys()]).toEqual(['PROJ-1']);
  });

  it('reverting the revert brings the story back', () => {
    const s = summarizeDeployKeys(
      [
        { sha: sha(1), message: 'PROJ-1: only part' },
        { sha: sha(2), message: `Revert "PROJ-1: only part"\n\nThis reverts commit ${sha(1)}.` },
        { sha: sha(3), message: `Revert "Revert "PROJ-1: only part""\n\nThis reverts commit ${sha(2)}.` },
      ],
      m,
    );
    expect([...s.shipped.keys()]).toEqual(['PROJ-1']);
  });

  it('a revert of a commit already in production does not cancel the story shipping in this range', () => {
    const s = summarizeDeployKeys(
      [
        { sha: sha(1), message: 'PROJ-1: second attempt' },
        { sha: sha(2), message: `Revert "PROJ-1: first attempt"\n\nThis reverts commit ${'f'.repeat(40)}.` },
      ],
      m,
    );
    expect([...s.shipped.keys()]).toEqual(['PROJ-1']);
  });

  it('a revert that names no commit cancels the earlier commits of the keys it reverts', () => {
    const s = summarizeDeployKeys(
      [
        { sha: sha(1), message: 'PROJ-1: only part' },
        { sha: sha(2), message: 'Revert "PROJ-1: only part" (#12)' },
      ],
      m,
    );
    expect([...s.reverted.keys()]).toEqual(['PROJ-1']);
  });
});
