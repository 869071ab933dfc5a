import * as path from 'path';
import * as ts from 'typescript';

/** Type-checks `files` strictly against the real API; returns `file: message` per error in them. */
export function typeErrors(files: string[], types: string[] = []): string[] {
  const program = ts.createProgram(files, {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    esModuleInterop: true,
    skipLibCheck: true,
    types,
  });
  return ts.getPreEmitDiagnostics(program).filter(d => d.file && files.includes(path.resolve(d.file.fileName)))
    .map(d => `${path.basename(d.file!.fileName)}:${d.file!.getLineAndCharacterOfPosition(d.start!).line + 1} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
}
