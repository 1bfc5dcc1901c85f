// Checks every Kubernetes object in deploy/kubernetes against the API schema of its kind
// (kubernetes-models' validators, from the Kubernetes OpenAPI definitions), and that the
// kustomization lists exactly the manifests there. Prints one line per object; exits 1 on the
// first directory with a problem, naming the file, the object and what is wrong.
//   npm ci --prefix deploy/kubernetes/validate && node deploy/kubernetes/validate/validate.mjs
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseAllDocuments } from "yaml";

const dir = process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), "..");
const files = readdirSync(dir).filter((f) => f.endsWith(".yaml")).sort();
const problems = [];

for (const file of files) {
  const docs = parseAllDocuments(readFileSync(join(dir, file), "utf8"));
  for (const doc of docs) {
    if (doc.errors.length > 0) {
      problems.push(`${file}: not YAML: ${doc.errors[0].message}`);
      continue;
    }
    const obj = doc.toJS();
    if (obj === null) continue;
    const { apiVersion, kind } = obj;
    const name = `${file}: ${kind ?? "?"} ${obj.metadata?.name ?? ""}`.trim();
    if (kind === "Kustomization") {
      const listed = [...(obj.resources ?? [])].sort();
      const present = files.filter((f) => f !== file);
      if (JSON.stringify(listed) !== JSON.stringify(present)) {
        problems.push(`${name}: resources ${listed} are not the manifests here (${present})`);
      } else {
        console.log(`ok ${name} (${listed.length} resources)`);
      }
      continue;
    }
    if (!apiVersion || !kind) {
      problems.push(`${name}: no apiVersion or kind`);
      continue;
    }
    const path = apiVersion.includes("/") ? apiVersion : `v1`;
    let Model;
    try {
      Model = (await import(`kubernetes-models/${path}/${kind}`))[kind];
    } catch (e) {
      problems.push(`${name}: no schema for ${apiVersion} ${kind}`);
      continue;
    }
    try {
      new Model(obj).validate();
      console.log(`ok ${name} (${apiVersion})`);
    } catch (e) {
      problems.push(`${name}: ${e.message}`);
    }
  }
}

for (const p of problems) console.error(`invalid ${p}`);
process.exit(problems.length === 0 ? 0 : 1);
