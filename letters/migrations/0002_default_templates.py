"""The school's default wording for each kind of letter, written from the code of conduct for
class WhatsApp groups. The admin edits it afterwards (letters.admin); letters record the
version they were made from, so each template gets its first history row here too.

Letters to a parent use only letters.placeholders.PARENT_PLACEHOLDERS; the note to the
person who reported uses only REPORTER_PLACEHOLDERS and says nothing about any action
taken about another parent.
"""

from django.db import migrations
from django.utils import timezone

CODE = "the school’s Code of Conduct for Class/Year WhatsApp Groups"
THE_CODE = CODE[0].upper() + CODE[1:]  # At the start of a sentence.

BAN_TERMS = (
    "Start of the ban: {{ ban_start }}\n"
    "End of the ban: {{ ban_end }}\n"
    "Review date: {{ review_date }}"
)

ON_THE_SITE = (
    "While the ban is in place, please do not come into the school buildings or grounds, "
    "including the playground at the start and end of the day and school events. Please "
    "contact the school office so that we can agree how your child will be brought to school "
    "and collected. Your child’s place and education at the school are not affected, and you "
    "may still contact the school by telephone, by e-mail or in writing, including about your "
    "child’s progress."
)

DEFAULTS: dict[str, tuple[str, str]] = {
    "warning_letter": (
        "Warning: conduct in a class WhatsApp group",
        "Dear {{ parent_name }},\n\n"
        "I am writing about messages posted in the {{ group }} WhatsApp group on "
        "{{ incident_date }}. The school has looked carefully at what happened.\n\n"
        "{{ summary }}\n\n"
        f"Under {CODE}, we ask every parent and carer to “treat all members of the school "
        "community with respect setting a good example with speech and behaviour”. The group "
        "“should never be used as a platform to air views/grievances regarding a teacher, child "
        "or parent in the class or school”. What was posted fell short of these expectations.\n\n"
        "This letter is a formal warning. The school will always respond to an incident in a "
        "proportional way, and I hope that this will be the end of the matter. If the code of "
        "conduct is broken again, the school may take further steps, as the code sets out: "
        "inviting you to a meeting, seeking advice from the local authority, or banning you "
        "from the school site.\n\n"
        "If you have a concern about the school, a member of staff or another family, please "
        "raise it with us rather than in the group: the school office will put you in touch "
        "with the right member of staff. The office can also give you a copy of the code of "
        "conduct.\n\n"
        "Thank you for your support in keeping our school a safe, respectful and inclusive "
        "place for pupils, staff and parents.",
    ),
    "meeting_invitation": (
        "Invitation to a meeting at school",
        "Dear {{ parent_name }},\n\n"
        "I am writing to invite you to a meeting at school about messages posted in the "
        "{{ group }} WhatsApp group on {{ incident_date }}.\n\n"
        "{{ summary }}\n\n"
        "Date: {{ meeting_date }}\n"
        "Time: {{ meeting_time }}\n"
        "Place: {{ school_name }}\n"
        "With: {{ attendees }}\n\n"
        f"{THE_CODE} asks parents and carers to “work together with staff in "
        "the best interests of our pupils” and to “seek a peaceful solution to all issues”. "
        "The meeting is a chance to talk about what happened, to hear your point of view, and "
        "to agree how we move forward together.\n\n"
        "Please let the school office know that you can attend. If the date or time is "
        "difficult for you, please contact the office as soon as you can so that we can "
        "arrange another. You are welcome to bring a friend or family member with you.\n\n"
        "I look forward to meeting you.",
    ),
    "representations_invitation": (
        "A proposed ban from the school site: your chance to respond",
        "Dear {{ parent_name }},\n\n"
        "I am writing about messages posted in the {{ group }} WhatsApp group on "
        "{{ incident_date }}, and to tell you that I am considering banning you from the "
        "school site.\n\n"
        "{{ summary }}\n\n"
        f"{THE_CODE} asks all parents and carers to “treat all members of "
        "the school community with respect”, and explains that, depending on the nature of an "
        "incident, the school may ban a parent from the school site. The school will always "
        "respond to an incident in a proportional way, and no decision has been made yet.\n\n"
        "Before I decide, I would like to hear from you. Please tell me your view of what "
        "happened, and anything you would like me to take into account, by "
        "{{ representations_deadline }}. You can write to me at the school, or ask the school "
        "office to arrange a meeting with me.\n\n"
        "I will consider carefully anything you tell me. If I have not heard from you by "
        "{{ representations_deadline }}, I will make my decision on the information the school "
        "has. Either way, I will write to you to tell you what I have decided.\n\n"
        "This letter does not change the arrangements for bringing your child to school and "
        "collecting them. In the meantime, please do not discuss this matter in the class "
        "WhatsApp groups.",
    ),
    "site_ban_temporary": (
        "Temporary ban from the school site",
        "Dear {{ parent_name }},\n\n"
        "I am writing to tell you that, from {{ ban_start }}, you may not come onto the school "
        "site. This is a temporary ban while I consider what happened in the {{ group }} "
        "WhatsApp group on {{ incident_date }}.\n\n"
        "{{ summary }}\n\n"
        f"{THE_CODE} asks all parents and carers to “treat all members of "
        "the school community with respect”, and explains that the school may ban a parent "
        "from the school site. Because of the seriousness of what happened, I have decided "
        "that this step cannot wait. The final decision for how to respond to breaches of the "
        "code of conduct rests with the Head Teacher.\n\n"
        f"{BAN_TERMS}\n\n"
        f"{ON_THE_SITE}\n\n"
        "You may give me your view of what happened, and anything you would like me to take "
        "into account, in writing by {{ representations_deadline }}. I will consider carefully "
        "what you tell me, and then write to you to say whether the ban will be lifted or "
        "continued.\n\n"
        "If you come onto the school site while the ban is in place, you will be asked to "
        "leave.",
    ),
    "site_ban_full": (
        "Ban from the school site",
        "Dear {{ parent_name }},\n\n"
        "I wrote to you about messages posted in the {{ group }} WhatsApp group on "
        "{{ incident_date }}, and invited you to give me your view before I made a decision. "
        "I have now considered the matter carefully, including anything you told me, and I "
        "have decided to ban you from the school site.\n\n"
        "{{ summary }}\n\n"
        f"{THE_CODE} asks all parents and carers to “treat all members of "
        "the school community with respect” and to “seek a peaceful solution to all issues”, "
        "and explains that the school may ban a parent from the school site. The school will "
        "always respond to an incident in a proportional way, and I have not taken this "
        "decision lightly. The final decision for how to respond to breaches of the code of "
        "conduct rests with the Head Teacher.\n\n"
        f"{BAN_TERMS}\n\n"
        f"{ON_THE_SITE}\n\n"
        "I will review the ban by the review date above and write to you with the outcome. "
        "If you would like me to reconsider before then, please write to me at the school "
        "setting out your reasons. You may also use the school’s complaints procedure, which "
        "the school office can give you.",
    ),
    "ban_review_outcome": (
        "Review of your ban from the school site",
        "Dear {{ parent_name }},\n\n"
        "I wrote to you about your ban from the school site, which began on {{ ban_start }}, "
        "and told you that I would review it. I have now done so, taking into account "
        "everything the school knows, including anything you have told us.\n\n"
        "{{ summary }}\n\n"
        "In reaching this decision I have kept in mind that the school will always respond to "
        "an incident in a proportional way. The final decision for how to respond to breaches "
        "of the code of conduct rests with the Head Teacher.\n\n"
        "If the ban continues, its terms remain as set out in my earlier letter; please keep "
        "in touch with the school office about the arrangements for your child. If you have "
        "any questions about this letter, please write to me at the school.\n\n"
        "We share an interest in a safe, respectful and inclusive school community, and I hope "
        "that we can continue to work together in the best interests of your child.",
    ),
    "case_outcome": (
        "The outcome of the school’s enquiries",
        "Dear {{ parent_name }},\n\n"
        "I am writing to let you know that the school has finished looking into the matter "
        "concerning the {{ group }} WhatsApp group on {{ incident_date }}.\n\n"
        "{{ summary }}\n\n"
        f"{THE_CODE} asks all parents and carers to use the groups “keeping "
        "in mind mutual respect and cultural sensitivity between all its members”, and to "
        "“approach the right member of school staff to help resolve any issues of concern”. "
        "The school will always respond to an incident in a proportional way. The final "
        "decision for how to respond to breaches of the code of conduct rests with the Head "
        "Teacher.\n\n"
        "If you have any questions about this letter, please contact the school office, who "
        "will arrange for you to speak to the right member of staff.\n\n"
        "Thank you for working with us in the best interests of our pupils.",
    ),
    "reporter_note": (
        "Your report to the school",
        "Dear {{ reporter_name }},\n\n"
        "Thank you for contacting the school on {{ report_date }} about a class WhatsApp "
        "group. We know that it is not always easy to raise a concern, and we are grateful "
        "that you told us.\n\n"
        "The school has looked into what you reported, in line with our Code of Conduct for "
        "Class/Year WhatsApp Groups.\n\n"
        "{{ summary }}\n\n"
        "We keep matters about other families confidential, just as we keep your report "
        "confidential, so we are not able to share details about other families with you.\n\n"
        "You can still see your report, read any messages from us and add information on the "
        "follow-up page of the online form you used to send it, with your reference "
        "{{ report_reference }} and the passphrase you were given. If you have any further "
        "concerns, please contact the school office.\n\n"
        "Thank you for helping us to keep our school a safe, respectful and inclusive place.",
    ),
}


def create_templates(apps, schema_editor):
    """One template per kind that has none, each with the history row that letters point at
    (simple-history's signals do not run in migrations)."""
    LetterTemplate = apps.get_model("letters", "LetterTemplate")
    HistoricalLetterTemplate = apps.get_model("letters", "HistoricalLetterTemplate")
    now = timezone.now()
    for kind, (heading, body) in DEFAULTS.items():
        if LetterTemplate.objects.filter(kind=kind).exists():
            continue  # Wording the school already has is theirs: never overwrite it.
        template = LetterTemplate.objects.create(kind=kind, heading=heading, body=body)
        HistoricalLetterTemplate.objects.create(
            id=template.id, kind=kind, heading=heading, body=body,
            updated_at=template.updated_at, history_date=now, history_type="+",
            history_change_reason="Default wording",
        )  # fmt: skip


def delete_templates(apps, schema_editor):
    """Remove the default templates that are unchanged and unused; keep any the school has
    edited or made letters from (letters protect their template)."""
    LetterTemplate = apps.get_model("letters", "LetterTemplate")
    HistoricalLetterTemplate = apps.get_model("letters", "HistoricalLetterTemplate")
    Letter = apps.get_model("letters", "Letter")
    for kind, (heading, body) in DEFAULTS.items():
        template = LetterTemplate.objects.filter(kind=kind, heading=heading, body=body).first()
        if template is None or Letter.objects.filter(template=template).exists():
            continue
        HistoricalLetterTemplate.objects.filter(id=template.id).delete()
        template.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("letters", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(create_templates, delete_templates),
    ]
