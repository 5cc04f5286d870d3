//! Languages: every text in English and French, a French member answered in French, and
//! announcements in the server's language.

use arsenal_plugin_api::testing::assert_translated;

use super::{announcements, answer, message, run, text, view, view_text, Harness, ALICE};
use crate::Profiles;

#[test]
fn every_text_exists_in_english_and_french() {
    assert_translated::<Profiles>();
}

#[test]
fn a_french_member_gets_french_and_the_server_its_language() {
    let mut h = Harness::start().unwrap();
    h.set_guild_locale(Some("fr"));
    let mut invocation = h.slash_as(
        ALICE,
        arsenal_plugin_api::model::guild::Permissions::empty(),
        "profile",
        &["config"],
        vec![text("bio", "Bonjour")],
    );
    invocation.invoker.locale = Some("fr".to_owned());
    let (reply, ephemeral) = answer(&h.command(invocation).unwrap());
    assert!(ephemeral);
    assert!(reply.starts_with("Votre profil est enregistré."), "{reply}");
    assert!(reply.contains("**Thème :** Classique"), "{reply}");
    let said = announcements(&h);
    assert!(said[0].1.contains("a débloqué **Conteur**"), "{said:?}");

    message(&mut h, 1, ALICE, false);
    assert!(announcements(&h)[1].1.contains("**Premiers mots**"));

    let mut invocation = h.slash_as(
        ALICE,
        arsenal_plugin_api::model::guild::Permissions::empty(),
        "profile",
        &["view"],
        Vec::new(),
    );
    invocation.invoker.locale = Some("fr".to_owned());
    let shown = view_text(&h.command(invocation).unwrap());
    assert!(shown.contains("Profil de user21"), "{shown}");
    assert!(shown.contains("Vocal: 0 h 00"), "{shown}");
    // An English member of the same server still reads English.
    let (reply, _) = answer(&run(&mut h, ALICE, "reset", Vec::new()));
    assert!(reply.contains("are erased"), "{reply}");
    assert!(view_text(&view(&mut h, ALICE, None)).contains("user21's profile"));
}
