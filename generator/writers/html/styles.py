"""The page's style sheet, written inline into every page: screen and print, no fonts or files fetched."""

from __future__ import annotations

#: Colours meet WCAG 2.1 AA contrast (4.5:1 for text) on white; the print rules give an A4 page like the PDF's.
STYLE = """
:root { color-scheme: light; }
html { font-family: "Liberation Serif", "Times New Roman", Times, serif; font-size: 112.5%; line-height: 1.45;
  color: #1a1a1a; background: #fff; }
body { margin: 0; }
.hoppa { position: absolute; left: -10000px; top: 0; background: #fff; color: #00408a; padding: .5em 1em;
  border: 2px solid #00408a; z-index: 10; }
.hoppa:focus { left: 1em; top: 1em; }
.sida { max-width: 42em; margin: 0 auto; padding: 1.5em 1.25em 3em; }
.sidhuvud { font-family: "Liberation Sans", Arial, Helvetica, sans-serif; font-size: .8em; color: #444;
  border-bottom: 1px solid #999; padding-bottom: .5em; margin-bottom: 1.5em; }
.sidhuvud p { margin: 0; }
.utkast { font-family: "Liberation Sans", Arial, Helvetica, sans-serif; font-weight: bold; color: #8a0000;
  border: 2px solid #8a0000; padding: .3em .6em; margin: 0 0 1em; }
h1, h2, h3, h4, h5, h6, .titel, .undertitel, .etikett, .avsandare { font-family: "Liberation Sans", Arial,
  Helvetica, sans-serif; }
h1.dokumenttitel { font-size: .85em; font-weight: normal; color: #555; margin: 0 0 1.2em; padding-bottom: .4em;
  border-bottom: 1px solid #999; }
h2 { font-size: 1.25em; margin: 1.2em 0 .3em; }
h3 { font-size: 1.05em; margin: 1em 0 .3em; }
h4, h5, h6 { font-size: 1em; margin: 1em 0 .3em; }
p { margin: 0 0 .6em; }
.titel { font-size: 1.5em; font-weight: bold; }
.undertitel { font-size: 1.15em; font-weight: bold; }
.ingress { font-size: 1.05em; }
.liten { font-size: .85em; }
.hoger { text-align: right; }
.etikett { font-weight: bold; margin-bottom: .2em; }
.adress, .avsandare { margin: 0; }
.markering { font-family: "Liberation Sans", Arial, Helvetica, sans-serif; font-weight: bold; font-size: 1.1em; }
ol.bokstav { list-style-type: lower-alpha; }
li > ul, li > ol { margin-top: .3em; }
ul ul { list-style-type: '– '; }
blockquote.citat { margin: .6em 0 1em 2.2em; }
li { margin-bottom: .3em; }
.kolumner { display: grid; gap: 1em 2em; margin: 0 0 1em; }
table { border-collapse: collapse; margin: .5em 0 1.2em; width: 100%; font-size: .95em; }
caption { text-align: left; font-family: "Liberation Sans", Arial, Helvetica, sans-serif; font-weight: bold;
  margin-bottom: .3em; }
th, td { padding: .2em .5em .2em 0; vertical-align: top; text-align: left; }
thead th { border-bottom: 1px solid #333; vertical-align: bottom; }
tbody th { font-weight: normal; }
tr.grupp th { font-weight: bold; padding-top: .6em; }
tr.summa th, tr.summa td { font-weight: bold; border-top: 1px solid #333; }
tr.not td { font-size: .85em; }
.h { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.c { text-align: center; }
table.amounts td.h, table.budget td.h { padding-left: 1em; }
.underskrifter { margin: 1.5em 0; }
.underskrifter .rad { display: flex; flex-wrap: wrap; gap: 1em 3em; }
.underskrift { min-width: 14em; }
.underskrift .plats { height: 2.5em; }
.underskrift p { margin: 0; }
ins { color: #005a1e; text-decoration: underline; background: #e6f4ea; }
del { color: #8a0000; text-decoration: line-through; background: #fbe9e9; }
.sidbrytning { display: none; }
a { color: #00408a; }
.visuellt-dold { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0);
  white-space: nowrap; }
@media print {
  @page { size: A4; margin: 28mm 25mm 20mm; }
  html { font-size: 10.5pt; line-height: 1.3; }
  .hoppa, h1.dokumenttitel { display: none; }
  .sida { max-width: none; padding: 0; }
  .sidbrytning { display: block; break-after: page; }
  h1, h2, h3, h4, h5, h6, .etikett { break-after: avoid; }
  table.hel, .kolumner, .underskrifter, .tillsammans { break-inside: avoid; }
  caption { break-after: avoid; }
  thead { display: table-header-group; }
  tr { break-inside: avoid; }
  p { orphans: 2; widows: 2; }
  a { color: inherit; text-decoration: none; }
  ins, del { background: none; }
}
""".strip()
