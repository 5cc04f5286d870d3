//! A small `multipart/form-data` reader: enough for Discord uploads (`payload_json` + files).

use crate::world::NewAttachment;

/// The parts of an upload: the `payload_json` text (if any) and the files.
#[derive(Debug, Default)]
pub(crate) struct Upload {
    pub payload_json: Option<String>,
    pub files: Vec<NewAttachment>,
    /// Plain form fields other than `payload_json` (Discord also accepts these).
    pub fields: Vec<(String, String)>,
}

/// Parses `body` given the request's `content-type`; `Err` explains what is malformed.
pub(crate) fn parse(content_type: &str, body: &[u8]) -> Result<Upload, String> {
    let boundary = content_type
        .split(';')
        .map(str::trim)
        .find_map(|p| p.strip_prefix("boundary="))
        .map(|b| b.trim_matches('"'))
        .ok_or("multipart content-type without boundary")?;
    let delimiter = format!("--{boundary}");
    let mut upload = Upload::default();
    let mut rest = body;
    // Skip the preamble up to the first delimiter.
    let start = find(rest, delimiter.as_bytes()).ok_or("no multipart delimiter in body")?;
    rest = &rest[start + delimiter.len()..];
    loop {
        if rest.starts_with(b"--") {
            break; // closing delimiter
        }
        rest = rest
            .strip_prefix(b"\r\n")
            .ok_or("malformed multipart delimiter line")?;
        let header_end = find(rest, b"\r\n\r\n").ok_or("multipart part without header end")?;
        let headers = String::from_utf8_lossy(&rest[..header_end]).into_owned();
        rest = &rest[header_end + 4..];
        let end = find(rest, format!("\r\n{delimiter}").as_bytes())
            .ok_or("multipart part without closing delimiter")?;
        let content = &rest[..end];
        rest = &rest[end + 2 + delimiter.len()..];

        let mut name = None;
        let mut filename = None;
        let mut part_type = None;
        for line in headers.lines() {
            let lower = line.to_ascii_lowercase();
            if lower.starts_with("content-disposition:") {
                name = param(line, "name");
                filename = param(line, "filename");
            } else if lower.starts_with("content-type:") {
                part_type = line.split_once(':').map(|(_, v)| v.trim().to_owned());
            }
        }
        let name = name.ok_or("multipart part without a name")?;
        match filename {
            Some(filename) => upload.files.push(NewAttachment {
                filename,
                content_type: part_type,
                description: None,
                bytes: content.to_vec(),
            }),
            None if name == "payload_json" => {
                upload.payload_json = Some(String::from_utf8_lossy(content).into_owned());
            }
            None => upload
                .fields
                .push((name, String::from_utf8_lossy(content).into_owned())),
        }
    }
    Ok(upload)
}

fn param(header: &str, key: &str) -> Option<String> {
    header.split(';').map(str::trim).find_map(|p| {
        let (k, v) = p.split_once('=')?;
        (k.trim() == key).then(|| v.trim().trim_matches('"').to_owned())
    })
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    #[test]
    fn reads_payload_and_file() {
        let body = b"--XYZ\r\nContent-Disposition: form-data; name=\"files[0]\"; filename=\"t.txt\"\r\nContent-Type: text/plain\r\n\r\nhello\r\n--XYZ\r\nContent-Disposition: form-data; name=\"payload_json\"\r\n\r\n{\"content\":\"x\"}\r\n--XYZ--\r\n";
        let up = super::parse("multipart/form-data; boundary=XYZ", body).expect("parses");
        assert_eq!(up.payload_json.as_deref(), Some("{\"content\":\"x\"}"));
        assert_eq!(up.files[0].filename, "t.txt");
        assert_eq!(up.files[0].bytes, b"hello");
    }
}
