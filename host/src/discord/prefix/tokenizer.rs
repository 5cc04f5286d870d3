//! Splits the text after a command name into words: whitespace separates, `"quotes"` (and a
//! phone's smart quotes) group, `\"` is a literal quote, and the first `=` outside quotes is
//! remembered for `name=value`.

/// One word of the arguments.
#[derive(Debug)]
pub(super) struct Token {
    /// Byte range of the raw word in the argument text, quotes included.
    pub(super) start: usize,
    pub(super) end: usize,
    /// The word with quotes removed and `\"` unescaped.
    pub(super) text: String,
    /// The first `=` outside quotes: its byte index in `text` and in the argument text.
    pub(super) equals: Option<(usize, usize)>,
}

fn is_quote(c: char) -> bool {
    // Phones turn `"` into “ and ” as the user types.
    matches!(c, '"' | '“' | '”')
}

pub(super) fn tokenize(input: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut chars = input.char_indices().peekable();
    while let Some(&(start, c)) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
            continue;
        }
        let mut token = Token {
            start,
            end: start,
            text: String::new(),
            equals: None,
        };
        let mut quoted = false;
        while let Some(&(at, c)) = chars.peek() {
            if c.is_whitespace() && !quoted {
                break;
            }
            chars.next();
            token.end = at + c.len_utf8();
            if c == '\\' {
                if let Some((at, quote)) = chars.next_if(|&(_, next)| is_quote(next)) {
                    token.text.push(quote);
                    token.end = at + quote.len_utf8();
                    continue;
                }
            }
            if is_quote(c) {
                quoted = !quoted;
                continue;
            }
            if c == '=' && !quoted && token.equals.is_none() {
                token.equals = Some((token.text.len(), at));
            }
            token.text.push(c);
        }
        tokens.push(token);
    }
    tokens
}
