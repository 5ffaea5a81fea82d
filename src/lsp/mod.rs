//! `entitle lsp`: a language server over stdio for rule files, the pack's TOML files
//! and scenario files. A client of the engine like the CLI: diagnostics are those of
//! `check` and of scenario typing, published as the user types (the open documents'
//! text is laid over the files on disk); hover, go to definition and completion
//! read the compiled pack; formatting is `entitle fmt`.

mod answers;
mod position;
mod uri;
mod workspace;

use lsp_server::{Connection, Message, Notification, Request, Response};
use lsp_types::notification::{
    DidChangeTextDocument, DidCloseTextDocument, DidOpenTextDocument, DidSaveTextDocument, Notification as _,
    PublishDiagnostics,
};
use lsp_types::request::{Completion, Formatting, GotoDefinition, HoverRequest, Request as _};
use lsp_types::{
    CompletionOptions, CompletionParams, CompletionResponse, DocumentFormattingParams, GotoDefinitionParams,
    GotoDefinitionResponse, Hover, HoverContents, HoverParams, HoverProviderCapability, MarkupContent, MarkupKind,
    OneOf, PublishDiagnosticsParams, Range, ServerCapabilities, TextDocumentSyncCapability, TextDocumentSyncKind,
    TextEdit, Uri,
};
use position::Lines;
use std::path::PathBuf;
use workspace::{kind, Kind, Workspace};

/// Serves one client on standard input and output until it asks to exit.
pub fn serve() -> Result<(), String> {
    let (connection, threads) = Connection::stdio();
    let capabilities = ServerCapabilities {
        text_document_sync: Some(TextDocumentSyncCapability::Kind(TextDocumentSyncKind::FULL)),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        definition_provider: Some(OneOf::Left(true)),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(vec![".".into()]),
            ..CompletionOptions::default()
        }),
        document_formatting_provider: Some(OneOf::Left(true)),
        ..ServerCapabilities::default()
    };
    let capabilities = serde_json::to_value(capabilities).map_err(|e| e.to_string())?;
    connection.initialize(capabilities).map_err(|e| e.to_string())?;
    let mut server = Server { connection: &connection, workspace: Workspace::default() };
    server.run()?;
    drop(connection);
    threads.join().map_err(|e| e.to_string())
}

struct Server<'c> {
    connection: &'c Connection,
    workspace: Workspace,
}

impl Server<'_> {
    fn run(&mut self) -> Result<(), String> {
        for message in &self.connection.receiver {
            match message {
                Message::Request(request) => {
                    if self.connection.handle_shutdown(&request).map_err(|e| e.to_string())? {
                        return Ok(());
                    }
                    let response = self.answer(request);
                    self.send(Message::Response(response))?;
                }
                Message::Notification(n) => self.notified(n)?,
                Message::Response(_) => {}
            }
        }
        Ok(())
    }

    fn send(&self, message: Message) -> Result<(), String> {
        self.connection.sender.send(message).map_err(|e| e.to_string())
    }

    fn notified(&mut self, n: Notification) -> Result<(), String> {
        let path = match n.method.as_str() {
            DidOpenTextDocument::METHOD => {
                let p: lsp_types::DidOpenTextDocumentParams = params(n.params)?;
                let path = local(&p.text_document.uri);
                self.workspace.open.insert(path.clone(), p.text_document.text);
                path
            }
            DidChangeTextDocument::METHOD => {
                let p: lsp_types::DidChangeTextDocumentParams = params(n.params)?;
                let path = local(&p.text_document.uri);
                // Full sync: the last change is the whole text.
                if let Some(change) = p.content_changes.into_iter().last() {
                    self.workspace.open.insert(path.clone(), change.text);
                }
                path
            }
            DidSaveTextDocument::METHOD => {
                let p: lsp_types::DidSaveTextDocumentParams = params(n.params)?;
                local(&p.text_document.uri)
            }
            DidCloseTextDocument::METHOD => {
                let p: lsp_types::DidCloseTextDocumentParams = params(n.params)?;
                self.workspace.open.remove(&local(&p.text_document.uri));
                return Ok(());
            }
            _ => return Ok(()),
        };
        for (file, diagnostics) in self.workspace.diagnostics(&path) {
            let Some(uri) = uri::from_path(&file) else { continue };
            let published = PublishDiagnosticsParams { uri, diagnostics, version: None };
            let note = Notification::new(PublishDiagnostics::METHOD.to_string(), published);
            self.send(Message::Notification(note))?;
        }
        Ok(())
    }

    fn answer(&self, request: Request) -> Response {
        let id = request.id.clone();
        let result = match request.method.as_str() {
            HoverRequest::METHOD => params::<HoverParams>(request.params)
                .map(|p| {
                    let at = p.text_document_position_params;
                    let value = self
                        .word(&at.text_document.uri, at.position)
                        .and_then(|(path, word)| answers::hover(&self.workspace.pack_of(&path)?, &word));
                    value.map(|value| Hover {
                        contents: HoverContents::Markup(MarkupContent { kind: MarkupKind::Markdown, value }),
                        range: None,
                    })
                })
                .and_then(json),
            GotoDefinition::METHOD => params::<GotoDefinitionParams>(request.params)
                .map(|p| {
                    let at = p.text_document_position_params;
                    self.word(&at.text_document.uri, at.position)
                        .and_then(|(path, word)| answers::definition(&self.workspace.pack_for_answers(&path)?, &word))
                        .map(GotoDefinitionResponse::Scalar)
                })
                .and_then(json),
            Completion::METHOD => params::<CompletionParams>(request.params)
                .map(|p| {
                    let at = p.text_document_position;
                    let path = local(&at.text_document.uri);
                    let text = self.workspace.text(&path).unwrap_or_default();
                    let offset = Lines::new(&text).offset(at.position);
                    let before = text.get(..offset).unwrap_or("");
                    let items = self
                        .workspace
                        .pack_for_answers(&path)
                        .map(|loaded| answers::completion(&loaded, kind(&path), before))
                        .unwrap_or_default();
                    CompletionResponse::Array(items)
                })
                .and_then(json),
            Formatting::METHOD => params::<DocumentFormattingParams>(request.params)
                .map(|p| self.formatted(&p.text_document.uri))
                .and_then(json),
            other => Err(format!("`{other}` is not handled")),
        };
        match result {
            Ok(value) => Response::new_ok(id, value),
            Err(message) => Response::new_err(id, lsp_server::ErrorCode::InvalidParams as i32, message),
        }
    }

    /// The name under the cursor, and the document's path.
    fn word(&self, uri: &Uri, at: lsp_types::Position) -> Option<(PathBuf, String)> {
        let path = local(uri);
        let text = self.workspace.text(&path)?;
        let offset = Lines::new(&text).offset(at);
        let word = answers::word_at(&text, offset).to_string();
        (!word.is_empty()).then_some((path, word))
    }

    /// The edit that lays out a rule file, when it parses and is not laid out yet.
    fn formatted(&self, uri: &Uri) -> Option<Vec<TextEdit>> {
        let path = local(uri);
        if kind(&path) != Kind::Rules {
            return None;
        }
        let text = self.workspace.text(&path)?;
        let file = crate::source::SourceFile::new(path.to_string_lossy().as_ref(), text.as_str());
        let laid_out = crate::format::format_file(&file).ok()?;
        let whole = Range { start: lsp_types::Position::default(), end: Lines::new(&text).end() };
        Some(if laid_out == text { Vec::new() } else { vec![TextEdit { range: whole, new_text: laid_out }] })
    }
}

/// The document's path on this machine, as the workspace keys it.
fn local(uri: &Uri) -> PathBuf {
    let path = uri::to_path(uri).unwrap_or_default();
    path.canonicalize().unwrap_or(path)
}

fn params<P: serde::de::DeserializeOwned>(value: serde_json::Value) -> Result<P, String> {
    serde_json::from_value(value).map_err(|e| e.to_string())
}

fn json<T: serde::Serialize>(value: T) -> Result<serde_json::Value, String> {
    serde_json::to_value(value).map_err(|e| e.to_string())
}
