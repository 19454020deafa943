//! Syntactic facts gathered from whole files (view bodies are not executed by [`super::eval`]):
//! `render_template` calls with their template names.

use ruff_python_ast::visitor::{walk_expr, Visitor};

use crate::frontend::ast::{self, Expr};
use crate::frontend::{Ranged, SourceFile};

use super::{FileId, Loc, TemplateRef, Text};

/// Every `render_template(...)` / `flask.render_template(...)` call in a file.
pub fn templates(file_id: FileId, file: &SourceFile) -> Vec<TemplateRef> {
    struct V<'f> {
        file_id: FileId,
        file: &'f SourceFile,
        out: Vec<TemplateRef>,
    }
    impl<'a> Visitor<'a> for V<'_> {
        fn visit_expr(&mut self, expr: &'a Expr) {
            if let Expr::Call(call) = expr {
                let is_render = match &*call.func {
                    Expr::Name(n) => n.id.as_str() == "render_template",
                    Expr::Attribute(a) => a.attr.id.as_str() == "render_template",
                    _ => false,
                };
                if is_render {
                    let first = call
                        .arguments
                        .keywords
                        .iter()
                        .find(|k| {
                            k.arg
                                .as_ref()
                                .is_some_and(|a| a.id.as_str() == "template_name_or_list")
                        })
                        .map(|k| &k.value)
                        .or_else(|| call.arguments.args.first());
                    let name = match first {
                        Some(Expr::StringLiteral(s)) => Text::Known(s.value.to_str().to_string()),
                        Some(e) => Text::Unknown(self.file.slice(e.range()).to_string()),
                        None => Text::None,
                    };
                    let range = first.map_or(call.range(), Ranged::range);
                    self.out.push(TemplateRef {
                        name,
                        loc: Loc {
                            file: self.file_id,
                            range,
                        },
                    });
                }
            }
            walk_expr(self, expr);
        }
    }
    let mut v = V {
        file_id,
        file,
        out: Vec::new(),
    };
    for stmt in &file.module.body {
        ast::visitor::Visitor::visit_stmt(&mut v, stmt);
    }
    v.out
}
