import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { IstioVersion } from '../../src';

const root = path.resolve(__dirname, '..', '..');

// The CRD files the validator and the test suite judge objects by are Istio's own, stripped of descriptions.
describe('the carried Istio CRDs', () => {
  test('there is one file per supported minor release, and the default release is one of them', () => {
    const files = fs.readdirSync(path.join(root, 'crds')).filter(f => f.startsWith('istio-')).sort();
    expect(files).toEqual(['istio-1.30.3.json', 'istio-1.31.4.json']);
    expect(IstioVersion.supportedMinors.map(m => path.basename(IstioVersion._crdFile(`${m}.0`)))).toEqual(files);
    expect(fs.existsSync(IstioVersion._crdFile(IstioVersion.DEFAULT))).toBe(true);
  });

  test('crds/istio-1.31.4.json is istio.io/api v1.31.4\'s CRD file, as scripts/strip-crds.js writes it', () => {
    let moduleDir: string;
    try {
      moduleDir = JSON.parse(execFileSync('go', ['mod', 'download', '-json', 'istio.io/api@v1.31.4'], { cwd: os.tmpdir(), encoding: 'utf-8' })).Dir;
    } catch (e) {
      if (process.env.CI) throw e;
      return; // no Go here: CI checks it
    }
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'crds-')), 'istio-1.31.4.json');
    execFileSync('node', [path.join(root, 'scripts', 'strip-crds.js'), path.join(moduleDir, 'kubernetes', 'customresourcedefinitions.gen.yaml'), out], { stdio: 'ignore' });
    expect(fs.readFileSync(out, 'utf-8') === fs.readFileSync(path.join(root, 'crds', 'istio-1.31.4.json'), 'utf-8')).toBe(true);
  });
});
