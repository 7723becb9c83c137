// Builds Safeboard's front-end assets into safeboard/static/dist.
// Sass is compiled with a system font stack and no GOV.UK font or crown: Safeboard is not a
// GOV.UK service, it only uses the Design System's components.
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "safeboard", "static", "dist");
const nm = join(root, "node_modules");
const bin = (name) => join(nm, ".bin", name);

rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, "js"), { recursive: true });

// Each module's styles, found in its folder (safeboard/<module>/styles/_index.scss): adding a
// module never means editing the site's stylesheet.
const modules = readdirSync(join(root, "safeboard"), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .filter((name) => existsSync(join(root, "safeboard", name, "styles", "_index.scss")))
  .sort();
writeFileSync(
  join(root, "frontend", "scss", "_modules.scss"),
  "// Written by frontend/build.mjs: every module's styles. Do not edit.\n" +
    modules.map((name) => `@use "safeboard/${name}/styles" as ${name};\n`).join(""),
);

execFileSync(bin("sass"), [
  "--load-path=.", "--quiet-deps", "--style=compressed", "--no-source-map",
  "frontend/scss/safeboard.scss", join(out, "safeboard.css"),
], { cwd: root, stdio: "inherit" });

const copies = {
  "govuk-frontend/dist/govuk/govuk-frontend.min.js": "js/govuk-frontend.min.js",
  "@ministryofjustice/frontend/moj/moj-frontend.min.js": "js/moj-frontend.min.js",
  "htmx.org/dist/htmx.min.js": "js/htmx.min.js",
  "vega/build/vega.min.js": "js/vega.min.js",
  "vega-lite/build/vega-lite.min.js": "js/vega-lite.min.js",
  "vega-embed/build/vega-embed.min.js": "js/vega-embed.min.js",
  "@ministryofjustice/frontend/moj/assets/images": "images",
};
// The GOV.UK crown and logotype, and the MoJ's own logos and icons, belong to their owners:
// never copy those images.
const notBranding = (src) => !/images\/.*(crown|logotype|moj-)/i.test(src);
for (const [from, to] of Object.entries(copies)) {
  cpSync(join(nm, from), join(out, to), { recursive: true, filter: notBranding });
}

// Vega compiles expressions with `new Function` unless given an interpreter; bundling the
// interpreter lets charts run under a Content-Security-Policy without 'unsafe-eval'.
execFileSync(bin("esbuild"), [
  join(nm, "vega-interpreter/build/vega-interpreter.js"), "--bundle", "--minify",
  "--format=iife", "--global-name=vegaInterpreter", `--outfile=${join(out, "js/vega-interpreter.min.js")}`,
], { cwd: root, stdio: "inherit" });

cpSync(join(root, "frontend", "js"), join(out, "js"), { recursive: true });
writeFileSync(join(out, ".built"), new Date().toISOString() + "\n");
