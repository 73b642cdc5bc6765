//! Renderings of a drift report for the command line: text, JSON and Markdown.
