/**
 * The page frame shared by every page: head, header bar (with the Deploys and Shipments links), main. The stylesheet is a constant inlined in a
 * <style> element and allowed by its SHA-256 hash in the Content-Security-Policy (no 'unsafe-inline').
 */
import { createHash } from 'node:crypto';
import { html, trustedConstantHtml, type HtmlValue, type SafeHtml } from './html.js';

export interface PageUser {
  readonly login: string;
}

/** What every page needs to know about the visitor. */
export interface PageContext {
  /** The signed-in GitHub user, or null (sign-in disabled). */
  readonly user: PageUser | null;
  /** False when WEB_AUTH=off: the header says so. */
  readonly authEnabled: boolean;
}

const STYLESHEET = `
:root{--bg:#f6f7f9;--fg:#1d2330;--muted:#5b6475;--card:#fff;--line:#dde1e8;--link:#0b5cad;
--ok:#17663a;--ok-bg:#e3f4e9;--bad:#a4161a;--bad-bg:#fde8e8;--err:#8a4b00;--err-bg:#fff1d6;--code:#eef0f4;
font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;line-height:1.45;
color-scheme:light dark}
@media (prefers-color-scheme:dark){:root{--bg:#14171c;--fg:#e4e7ec;--muted:#9aa3b2;--card:#1c2027;--line:#2e343e;
--link:#7ab4ff;--ok:#7fd99c;--ok-bg:#17301f;--bad:#ff8f8f;--bad-bg:#3a1b1d;--err:#ffc266;--err-bg:#392a12;--code:#262b33}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);font-size:16px;overflow-wrap:anywhere}
a{color:var(--link)}
header.top{background:var(--card);border-bottom:1px solid var(--line)}
header.top .bar{max-width:72rem;margin:0 auto;padding:.6rem 1rem;display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center}
header.top .brand{font-weight:700;text-decoration:none;color:var(--fg);margin-right:auto}
header.top form{display:flex;gap:.3rem}
header.top input[type=search]{width:9rem;padding:.3rem .4rem;border:1px solid var(--line);border-radius:4px;background:var(--bg);color:var(--fg);font:inherit}
header.top .who{color:var(--muted);font-size:.9rem}
main{max-width:72rem;margin:0 auto;padding:1rem}
h1{font-size:1.45rem;margin:.2rem 0 .6rem}
h2{font-size:1.2rem;margin:1.6rem 0 .6rem;padding-bottom:.25rem;border-bottom:1px solid var(--line)}
h3{font-size:1.05rem;margin:0 0 .3rem}
h4{font-size:.95rem;margin:.8rem 0 .3rem}
p{margin:.4rem 0}
code,pre,.sha{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.88em}
pre{background:var(--code);padding:.5rem .6rem;border-radius:4px;white-space:pre-wrap;margin:.3rem 0}
.muted{color:var(--muted)}
.small{font-size:.88rem}
.card{background:var(--card);border:1px solid var(--line);border-radius:6px;padding:.8rem 1rem;margin:.6rem 0}
.banner{border-radius:6px;padding:.8rem 1rem;margin:.6rem 0 1rem;display:flex;flex-wrap:wrap;gap:.6rem 1rem;align-items:center;justify-content:space-between;border:1px solid transparent}
.banner .state{font-size:1.3rem;font-weight:700}
.banner.success{background:var(--ok-bg);color:var(--ok);border-color:var(--ok)}
.banner.failure{background:var(--bad-bg);color:var(--bad);border-color:var(--bad)}
.banner.error{background:var(--err-bg);color:var(--err);border-color:var(--err)}
.banner p{margin:.2rem 0 0;color:var(--fg)}
.notice{background:var(--card);border-left:4px solid var(--link);padding:.5rem .8rem;margin:.6rem 0}
button,.button{font:inherit;padding:.45rem .9rem;border-radius:4px;border:1px solid var(--line);background:var(--card);color:var(--fg);cursor:pointer;text-decoration:none;display:inline-block}
button.primary{background:var(--link);border-color:var(--link);color:#fff;font-weight:600}
.badge{display:inline-block;padding:.05rem .45rem;border-radius:999px;font-size:.8rem;font-weight:600;border:1px solid currentColor;white-space:nowrap}
.badge.success{color:var(--ok);background:var(--ok-bg)}
.badge.failure{color:var(--bad);background:var(--bad-bg)}
.badge.error{color:var(--err);background:var(--err-bg)}
.badge.plain{color:var(--muted)}
.badge.risk{color:var(--err);background:var(--err-bg)}
.flag{font-weight:600;white-space:nowrap}
.flag.bad{color:var(--bad)}
.flag.warn{color:var(--err)}
form.filters{display:flex;flex-wrap:wrap;gap:.4rem 1rem;align-items:center;margin:.4rem 0 .8rem}
form.filters input,form.filters select{font:inherit;padding:.25rem .4rem;border:1px solid var(--line);border-radius:4px;background:var(--card);color:var(--fg)}
header.top nav.main{display:flex;gap:.8rem}
.shipped{display:block}
.shipped ul{margin:.3rem 0 0;padding-left:1.2rem;color:var(--fg)}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.2rem .8rem;margin:.4rem 0}
dl.facts dt{color:var(--muted)}
dl.facts dd{margin:0}
dl.facts.inline{display:flex;flex-wrap:wrap;gap:.15rem 1.4rem}
dl.facts.inline>div{display:flex;gap:.4rem}
.subline{margin:-.3rem 0 .6rem}
.subline code{font-size:.95em}
ol.problems,ul.plain{list-style:none;padding:0;margin:0}
ol.problems>li{background:var(--card);border:1px solid var(--line);border-left:4px solid var(--bad);border-radius:4px;padding:.55rem .8rem;margin:.45rem 0}
ol.problems .summary{font-weight:600}
ol.problems .fix{margin:.25rem 0 0}
ol.problems .fix::before{content:"What to do: ";font-weight:600;color:var(--muted)}
.group-title{display:flex;gap:.5rem;align-items:baseline;margin:1rem 0 .2rem;font-weight:600}
details>summary{cursor:pointer;color:var(--link);margin:.4rem 0}
article.ticket{background:var(--card);border:1px solid var(--line);border-radius:6px;padding:.8rem 1rem;margin:.7rem 0}
article.ticket.has-problems{border-left:4px solid var(--bad)}
article.ticket header{display:flex;flex-wrap:wrap;gap:.3rem .7rem;align-items:baseline}
article.ticket .key{font-weight:700}
.doc{border-left:3px solid var(--line);padding:.1rem .8rem;margin:.3rem 0}
.doc p,.doc li{white-space:pre-wrap}
.doc blockquote{margin:.3rem 0;padding-left:.6rem;border-left:3px solid var(--line);color:var(--muted)}
.doc ul,.doc ol{margin:.3rem 0;padding-left:1.3rem}
.grid2{display:grid;grid-template-columns:1fr 1fr;gap:0 1.2rem}
ul.commits{list-style:none;padding:0;margin:.3rem 0}
ul.commits li{padding:.25rem 0;border-top:1px solid var(--line);display:flex;flex-wrap:wrap;gap:0 .6rem}
ul.commits li:first-child{border-top:0}
ul.commits .subject{flex:1 1 12rem}
.table-wrap{overflow-x:auto;background:var(--card);border:1px solid var(--line);border-radius:6px}
table{border-collapse:collapse;width:100%;overflow-wrap:normal}
th{white-space:nowrap}
td time{white-space:nowrap}
th,td{text-align:left;padding:.45rem .7rem;border-bottom:1px solid var(--line);vertical-align:top}
th{font-size:.85rem;color:var(--muted);font-weight:600}
tr:last-child td{border-bottom:0}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
nav.pages{display:flex;gap:1rem;align-items:center;margin:.8rem 0}
@media (max-width:640px){
body{font-size:15px}
main{padding:.6rem}
.grid2{grid-template-columns:1fr}
.hide-narrow{display:none}
table.stack thead{display:none}
table.stack,table.stack tbody,table.stack tr{display:block}
table.stack tr{padding:.55rem .75rem;border-bottom:1px solid var(--line)}
table.stack tr:last-child{border-bottom:0}
table.stack td{display:inline-block;border:0;padding:.1rem .9rem .1rem 0;text-align:left}
table.stack td.lead,table.stack td.wide{display:block}
table.stack td.lead{font-weight:600}
table.stack td[data-label]::before{content:attr(data-label) " ";color:var(--muted);font-size:.85rem}
header.top input[type=search]{width:6.5rem}
}
`;

/** The stylesheet's CSP source expression: `'sha256-…'`. */
export const STYLESHEET_CSP_HASH = `'sha256-${createHash('sha256').update(STYLESHEET).digest('base64')}'`;

export interface PageOptions {
  readonly title: string;
  readonly context: PageContext;
  readonly body: SafeHtml;
}

/** A complete HTML document. */
export function renderPage({ title, context, body }: PageOptions): SafeHtml {
  const userPart: HtmlValue = context.user
    ? html`<span class="who">Signed in as <strong>${context.user.login}</strong></span> <a href="/logout">Sign out</a>`
    : context.authEnabled
      ? null
      : html`<span class="who">Sign-in disabled (WEB_AUTH=off)</span>`;
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="same-origin">
<title>${title} · deploy-checker</title>
<style>${trustedConstantHtml(STYLESHEET)}</style>
</head>
<body>
<header class="top"><div class="bar">
<a class="brand" href="/deploys">deploy-checker</a>
<nav class="main" aria-label="Sections"><a href="/deploys">Deploys</a><a href="/shipments">Shipments</a></nav>
<form method="get" action="/tickets" role="search"><input type="search" name="key" placeholder="PROJ-12" aria-label="Ticket key" required><button type="submit">Find</button></form>
${userPart}
</div></header>
<main>
${body}
</main>
</body>
</html>
`;
}

/** A short page with a heading and a message (not found, errors, signed out). */
export function renderMessagePage(context: PageContext, title: string, message: HtmlValue): SafeHtml {
  return renderPage({ title, context, body: html`<h1>${title}</h1><div class="card">${message}</div>` });
}
