//! The neutral groups as JSON text, written by hand (no serde, no `core::fmt`), for
//! `JSON.parse`: absent options are left out, as serde's `skip_serializing_if` does.

use crate::neutral::{Group, Role};

fn string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.push_str("\\u00");
                out.push(HEX[(c as usize) >> 4] as char);
                out.push(HEX[(c as usize) & 15] as char);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

fn number(out: &mut String, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for &d in &digits[i..] {
        out.push(d as char);
    }
}

fn field(out: &mut String, name: &str) {
    out.push_str(",\"");
    out.push_str(name);
    out.push_str("\":");
}

pub fn groups(groups: &[Group]) -> String {
    let mut out = String::with_capacity(64 + groups.len() * 512);
    out.push('[');
    for (i, g) in groups.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str("{\"id\":");
        string(&mut out, &g.id);
        field(&mut out, "subject");
        string(&mut out, &g.subject);
        if let Some(d) = &g.description {
            field(&mut out, "description");
            string(&mut out, d);
        }
        if let Some(c) = &g.creator {
            field(&mut out, "creator");
            string(&mut out, c);
        }
        if let Some(t) = g.created_at {
            field(&mut out, "createdAt");
            number(&mut out, t);
        }
        if let Some(s) = g.size {
            field(&mut out, "size");
            number(&mut out, u64::from(s));
        }
        field(&mut out, "participants");
        out.push('[');
        for (j, p) in g.participants.iter().enumerate() {
            if j > 0 {
                out.push(',');
            }
            out.push_str("{\"id\":");
            string(&mut out, &p.id);
            if let Some(phone) = &p.phone {
                field(&mut out, "phone");
                string(&mut out, phone);
            }
            if let Some(lid) = &p.lid {
                field(&mut out, "lid");
                string(&mut out, lid);
            }
            if let Some(name) = &p.name {
                field(&mut out, "name");
                string(&mut out, name);
            }
            field(&mut out, "role");
            out.push_str(match p.role {
                Role::Superadmin => "\"superadmin\"",
                Role::Admin => "\"admin\"",
                Role::Member => "\"member\"",
            });
            out.push('}');
        }
        out.push_str("]}");
    }
    out.push(']');
    out
}
