// Starts `warden lsp` for .rules files. Install: `npm install` in this folder, then
// `code --install-extension` on a package made with `npx @vscode/vsce package`, or open the
// folder in VS Code and press F5.
const vscode = require('vscode');
const { LanguageClient } = require('vscode-languageclient/node');

let client;

function activate(context) {
  const command = vscode.workspace.getConfiguration('warden').get('path') || 'warden';
  client = new LanguageClient(
    'warden',
    'Warden rules',
    { command, args: ['lsp'] },
    { documentSelector: [{ scheme: 'file', language: 'warden' }] }
  );
  client.start();
  context.subscriptions.push({ dispose: () => client && client.stop() });
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
