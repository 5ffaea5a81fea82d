// Starts `entitle lsp` for rule files, the pack's TOML files and scenario files.
const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

let client;

function activate(context) {
  const command = vscode.workspace.getConfiguration("entitle").get("path") || "entitle";
  const server = { command, args: ["lsp"] };
  client = new LanguageClient("entitle", "entitle", server, {
    documentSelector: [
      { scheme: "file", language: "entitle" },
      { scheme: "file", pattern: "**/{pack,schema,params}.toml" },
      { scheme: "file", pattern: "**/scenarios/**/*.{yaml,yml,json,jsonl}" },
    ],
  });
  context.subscriptions.push(client);
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
