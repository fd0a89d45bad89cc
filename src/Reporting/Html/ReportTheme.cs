namespace MlNetRobust.Reporting.Html;

/// <summary>The report's inline style sheet and script. Inline, because the report must open from disk
/// with no server and no network: no CDN, no web fonts, no external files besides its figures.</summary>
internal static class ReportTheme
{
    /// <summary>Nothing may load from anywhere but the report's own folder; scripts and styles are the
    /// inline ones below. A guard against a careless edit ever adding a network fetch.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; script-src 'unsafe-inline'; base-uri 'none'; form-action 'none'";

    public const string Css = """
        :root{--ink:#1f2328;--muted:#57606a;--line:#d0d7de;--soft:#f6f8fa;--accent:#4e79a7;--best:#dff3e4;--best-ink:#0f5323;color-scheme:light}
        *{box-sizing:border-box}
        body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,"DejaVu Sans",sans-serif;color:var(--ink);background:#f1f3f5}
        .wrap{max-width:1320px;margin:0 auto;padding:0 24px}
        .page-header{background:#fff;border-bottom:1px solid var(--line);padding:26px 0 18px}
        .page-header h1{margin:0;font-size:26px;line-height:1.25;letter-spacing:-.01em}
        .subtitle{margin:4px 0 0;color:var(--muted);font-size:16px}
        .facts{display:flex;flex-wrap:wrap;gap:8px;margin:14px 0 0;padding:0}
        .facts div{background:var(--soft);border:1px solid var(--line);border-radius:999px;padding:1px 12px;font-size:13px}
        .facts dt{display:inline;color:var(--muted)}
        .facts dt::after{content:":\00a0"}
        .facts dd{display:inline;margin:0;font-weight:600}
        nav.toc{position:sticky;top:0;z-index:2;background:rgba(255,255,255,.94);border-bottom:1px solid var(--line)}
        nav.toc .wrap{display:flex;gap:2px;overflow-x:auto;padding-top:7px;padding-bottom:7px}
        nav.toc a{color:var(--muted);text-decoration:none;padding:3px 10px;border-radius:6px;font-size:14px;white-space:nowrap}
        nav.toc a:hover,nav.toc a:focus{background:var(--soft);color:var(--ink)}
        main{padding-top:20px;padding-bottom:8px}
        section{background:#fff;border:1px solid var(--line);border-radius:10px;padding:16px 22px 8px;margin:0 0 18px;scroll-margin-top:56px}
        section h2{font-size:19px;margin:0 0 12px}
        .block{margin:0 0 14px}
        .table-wrap{overflow-x:auto;max-width:100%}
        table{border-collapse:collapse;font-size:14px;font-variant-numeric:tabular-nums}
        caption{caption-side:top;text-align:left;color:var(--muted);font-size:13px;padding:0 0 6px}
        th,td{padding:5px 12px;border-bottom:1px solid #eaeef2;text-align:left;white-space:nowrap}
        thead th{background:var(--soft);border-bottom:1px solid var(--line);font-weight:600}
        th.num,td.num{text-align:right}
        tbody tr:hover td{background:#f8fafc}
        tbody tr:hover td.best{background:#cdebd6}
        td.best{background:var(--best);color:var(--best-ink);font-weight:700}
        tfoot td{font-weight:600;border-top:2px solid var(--line);border-bottom:0}
        th.sortable{cursor:pointer;user-select:none}
        th.sortable::after{content:"\2195";color:#b0b7bf;font-size:11px;margin-left:4px}
        th[aria-sort=ascending]::after{content:"\25B2";color:var(--accent)}
        th[aria-sort=descending]::after{content:"\25BC";color:var(--accent)}
        table.kv th{background:none;color:var(--muted);font-weight:500;border-bottom:1px solid #eaeef2}
        table.kv td{white-space:normal;word-break:break-word}
        .figures{display:flex;flex-wrap:wrap;gap:16px;align-items:flex-start}
        figure{margin:0;max-width:100%;display:flex;flex-direction:column;border:1px solid #eaeef2;border-radius:8px;padding:8px;background:#fff}
        figure img{display:block;max-width:100%;height:auto}
        figure img.pixels{image-rendering:pixelated}
        figcaption{width:0;min-width:100%;color:var(--muted);font-size:13px;padding:6px 4px 0}
        .text p{margin:0 0 10px;max-width:85ch}
        pre{background:var(--soft);border:1px solid var(--line);border-radius:6px;padding:10px 12px;overflow-x:auto;font-size:13px;margin:0}
        .note{border-left:4px solid var(--accent);background:#eef3f9;padding:10px 14px;border-radius:0 6px 6px 0;max-width:85ch}
        .note p{margin:0 0 6px}
        ul.links{margin:0;padding-left:20px}
        ul.links li{margin:2px 0}
        a{color:#0a58ca}
        .page-footer{color:var(--muted);font-size:13px;padding-bottom:28px}
        @media print{nav.toc{display:none}body{background:#fff}section{border:0;break-inside:avoid}}
        """;

    /// <summary>Click (or Enter on) a header of a sortable table to sort by that column: numbers by
    /// value (their <c>data-v</c>), text alphabetically, empty cells last; the foot row stays put.</summary>
    public const string Script = """
        (function () {
          'use strict';
          function key(cell) {
            if (!cell) return null;
            if (cell.hasAttribute('data-v')) return parseFloat(cell.getAttribute('data-v'));
            var text = cell.textContent.trim();
            return cell.classList.contains('num') || text === '' ? null : text;
          }
          document.querySelectorAll('table.sortable').forEach(function (table) {
            var body = table.tBodies[0];
            if (!body || !table.tHead) return;
            var heads = Array.prototype.slice.call(table.tHead.rows[0].cells);
            heads.forEach(function (th, column) {
              th.classList.add('sortable');
              th.tabIndex = 0;
              function sort() {
                var current = th.getAttribute('aria-sort');
                var next = current === 'descending' ? 'ascending' : current === 'ascending' ? 'descending'
                  : th.classList.contains('num') ? 'descending' : 'ascending';
                heads.forEach(function (other) { other.removeAttribute('aria-sort'); });
                th.setAttribute('aria-sort', next);
                var direction = next === 'ascending' ? 1 : -1;
                var rows = Array.prototype.slice.call(body.rows);
                rows.sort(function (a, b) {
                  var x = key(a.cells[column]), y = key(b.cells[column]);
                  if (x === null || y === null) return x === y ? 0 : x === null ? 1 : -1;
                  return (typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y))) * direction;
                });
                rows.forEach(function (row) { body.appendChild(row); });
              }
              th.addEventListener('click', sort);
              th.addEventListener('keydown', function (e) {
                if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); sort(); }
              });
            });
          });
        })();
        """;
}
