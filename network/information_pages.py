"""The site's own pages as `setup_site` first writes them: about the network, contact, the privacy notice.

Their text is page content, in English, edited in the admin afterwards; `setup_site` writes a page only when no
page has its role yet, and never changes one. The facts come from the network's own documents (the seeds of
the design) and, for the privacy notice, from the code and settings in force when the page is written: the
retention period of `purge_registrations` (workshops.privacy), how long feedback stays open (workshops.feedback),
the reminder's lead time, the rate limits (ssn4psi.antispam), the admin's lock-out (django-axes) and the language
cookie. Change one of those settings afterwards, and the privacy notice needs the same edit.
"""

from dataclasses import dataclass
from html import escape

from django.conf import settings

from ssn4psi.models import InformationPageRole
from workshops.feedback import feedback_days
from workshops.privacy import retention_days


@dataclass
class InformationPageText:
    """The first version of one of the site's own pages."""

    title: str
    intro: str
    body: str


def page_link(page_id, text):
    """A link to a page in Wagtail's rich text format: it follows the page if it moves or changes slug."""
    return f'<a linktype="page" id="{page_id}">{escape(text)}</a>'


def mail_link(address):
    return f'<a href="mailto:{escape(address)}">{escape(address)}</a>'


def about(links):
    """About the network: where it comes from, what it has done, its members, what this site does. `links` gives
    the ids of the pages it links ({"directory", "catalogue", "workshops", "contact"})."""
    return InformationPageText(
        title="About the network",
        intro=(
            "The South-South Network for Public Service Innovation (SSN4PSI) helps governments of the global South "
            "learn from each other's public-service innovations: a country that solved a problem shares its "
            "solution with a country that faces it."
        ),
        body=f"""
<h2>Where the network comes from</h2>
<p>The network was proposed in 2016 by the Prime Minister of Bangladesh and the Administrator of the United
Nations Development Programme (UNDP). It is a collaborative platform where governments, private sector
organisations, experts and academics exchange knowledge, experiences and expertise on public service
innovation: countries that solved a problem “export” their solution to countries that need it.</p>
<p>It grew out of Bangladesh's digital transformation, led by the Aspire to Innovate (a2i) programme of the
Government of Bangladesh with UNDP: myGov, which brings government services together in one place; the Union
Digital Centres, where citizens get government services near home; Village Courts; the SDG Tracker; ekShop, the
assisted rural e-commerce platform; and NISE, the data platform for skills, education, employment and
entrepreneurship.</p>
<p>Exchanges between countries of the South are often triangular: a third partner supports them, as UNDP's
country offices did for DR Congo and for the Bangsamoro region below. The UN Office for South-South Cooperation
(UNOSSC) and APCICT/ESCAP run capacity building on digital government in the same spirit, such as their
four-day webinar of November 2021 for more than 150 officials from 16 countries. Solutions shared this way can
be adapted to each country's needs, rather than bought off the shelf.</p>
<h2>What it has done</h2>
<p>By its own count, the network has 45 members; it has held 20 matchmaking workshops and 16 field visits, which
opened 244 partnership opportunities across 43 countries and organisations, and practices shared through it
have been replicated in 17 countries. For example:</p>
<ul>
<li>DR Congo learned about myGov and the SDG Tracker from a2i in a virtual knowledge-sharing session with UNDP
DR Congo.</li>
<li>Heads of ministries of the Bangsamoro Autonomous Region in Muslim Mindanao (BARMM, the Philippines) visited
a2i in Dhaka to learn from myGov, the Union Digital Centres and Village Courts, for UNDP Philippines' programme of
local e-governance (LeAPS); during the visit, UNDP Bangladesh and UNDP Philippines signed an agreement to deepen
their collaboration on digital governance.</li>
<li>ekShop, launched by a2i and UNDP in 2019, was launched in Turkey in 2021 and in Yemen in 2022.</li>
<li>NISE, launched in 2021, was replicated in Somalia with the Ministry of Communication and Technology and in
Jordan with the Ministry of Digital Economy and Entrepreneurship.</li>
</ul>
<h2>Who its members are</h2>
<p>National governments, subnational governments such as BARMM, government agencies and programmes such as
a2i, international organisations such as UNDP, UNOSSC and APCICT/ESCAP, the private sector, academia and civil
society. The {page_link(links["directory"], "member directory")} shows each member with the solutions it offers
and what it wants to learn.</p>
<h2>What this site does</h2>
<ul>
<li><b>The catalogue</b>: the {page_link(links["catalogue"], "public-service innovations")} members share,
with the problem each solves, how it works, its key figures and where it was adopted, by Sustainable Development
Goal, theme, country and maturity, and whether it is a digital public good.</li>
<li><b>Matchmaking</b>: the site recommends to each government the partners that could share a solution
answering its needs, says why, and suggests who could facilitate. The Secretariat turns the best pairings into
exchanges and follows each one from the first contact to an agreement and a replication.</li>
<li><b>Workshops</b>: the {page_link(links["workshops"], "sessions, visits and matchmaking workshops")} where
the pairs meet. People register online; the materials and outcomes stay on each workshop's page.</li>
<li><b>Open data</b>: the <a href="/data/">public catalogue as files and through an API</a>, free to reuse
under the Creative Commons Attribution 4.0 licence, and the <a href="/sdg/">SDG framework</a> with the solutions
that serve each goal.</li>
</ul>
<p>To reach the network, see {page_link(links["contact"], "Contact")}.</p>
""",
    )


def contact(links):
    """How to reach the Secretariat (settings.CONTACT_EMAIL: the seeds give no address), about a workshop, as a
    focal point, about one's data (links["privacy"])."""
    email = settings.CONTACT_EMAIL
    return InformationPageText(
        title="Contact",
        intro="How to reach the Secretariat of the South-South Network for Public Service Innovation.",
        body=f"""
<h2>The Secretariat</h2>
<p>Write to the Secretariat at {mail_link(email)}: about the network and joining it, the catalogue and its data,
a member's profile, or this site.</p>
<h2>About a workshop</h2>
<p>Each workshop is run by its organisers, named on its page. The e-mails you receive after registering carry
your personal links: to confirm your address, see your registration, add it to your calendar, cancel it, and see
or delete your data. If you lost them, “Already registered?” on the workshop's page sends them again to the
address you registered with. For anything else about a workshop, write to the Secretariat at {mail_link(email)},
which passes your message on to its organisers.</p>
<h2>For members' focal points</h2>
<p>Each member's focal points keep its profile, needs and solutions up to date themselves, signed in to the
site's administration. The Secretariat creates their accounts, and the tokens with which other systems write
through the API: write to it to get one.</p>
<h2>Your personal data</h2>
<p>What we keep when you register to a workshop, why, for how long, and how to see, correct or delete it: the
{page_link(links["privacy"], "privacy notice")}.</p>
""",
    )


def privacy(links):
    """The privacy notice: what a workshop registration keeps, why, who sees it, how long (the settings in force),
    the participant's self-service links, accounts and API tokens, cookies (links["contact"])."""
    email = settings.CONTACT_EMAIL
    retention = retention_days()
    lockout_minutes = round(settings.AXES_COOLOFF_TIME * 60)
    language_cookie_days = settings.LANGUAGE_COOKIE_AGE // (24 * 3600)
    rate_limit = ""
    if settings.RATE_LIMITS:
        window = max(seconds for _count, seconds in settings.RATE_LIMITS.values()) // 60
        rate_limit = f"""
<h2>Protection against robots</h2>
<p>To stop robots sending the registration forms, the site counts how often each form is sent from one internet
address and for one e-mail address. It keeps only a one-way hash of the address with the count, for at most
{window} minutes.</p>"""
    return InformationPageText(
        title="Privacy notice",
        intro=(
            "What this site keeps about you when you register to a workshop or have an account, why, who sees it, "
            "for how long, and how you see, correct or delete it."
        ),
        body=f"""
<h2>Who is responsible</h2>
<p>This site is run by the Secretariat of the South-South Network for Public Service Innovation. Each workshop is
run by its organisers: the Secretariat and the members of the network that organise it, named on the workshop's
page. Write to the Secretariat at {mail_link(email)} about anything in this notice.</p>
<h2>What we keep when you register to a workshop</h2>
<ul>
<li>your name and e-mail address;</li>
<li>your organisation (a member of the network, or its name as you write it), your country, your job title and
your role at the workshop (delegate, speaker, observer or organiser);</li>
<li>the sessions you choose, the accessibility needs you tell us about, and your answers to the organisers' own
questions, if the workshop asks any;</li>
<li>your consent to this notice, and whether you agree to appear on the workshop's public list of
participants;</li>
<li>the language you use on the site, in which we write to you;</li>
<li>the dates of your registration and of its steps (your address confirmed, the waiting list, a freed place
offered to you, an approval, a cancellation) and whether you attended, which the organisers mark when you
arrive;</li>
<li>after the workshop, the feedback you choose to give: a rating, what was most useful, what you will do next,
and whether you want a follow-up exchange.</li>
</ul>
<p>A member's focal point may register you as part of its delegation: they then give your name, e-mail address,
job title, role, language, sessions and accessibility needs. You confirm your own address and give your own
consent before you take a place.</p>
<h2>Why</h2>
<p>To run the workshop you registered to: to confirm your address and your place, keep the waiting list, send
you the confirmation, a calendar invitation, a reminder {settings.WORKSHOP_REMINDER_HOURS} hours before the start
and any change, plan the sessions and your accessibility needs, check you in at the door, give you a certificate
of attendance, and learn from your feedback how to make the next workshops better. The network also counts how
many people came, from which kind of organisation and which country. We do not use your details for anything
else.</p>
<h2>Who sees it</h2>
<ul>
<li>the workshop's organisers: the Secretariat's staff, and the focal points of the members that organise the
workshop and of the members above them in the network (Bangladesh's focal points for a workshop of a2i), in the
site's administration, where they can list and export the registrations of their own workshops;</li>
<li>you, through your personal link;</li>
<li>anyone, for your name and organisation only, and only if you chose to appear on the workshop's public list of
participants.</li>
</ul>
<p>The organisers see the summary of the feedback.</p>
<h2>How long we keep it</h2>
<p>Your registration is kept while the workshop is prepared and held, and for {retention} days after it ends.
Then your name, e-mail address, job title, accessibility needs, answers to the questions, the words of your
feedback and your choice to appear on the public list are deleted. What is left cannot tell who you are: the
status of the registration, the organisation and country, the language, the sessions, the dates and the rating,
so that the network's figures (how many came, from where) still add up. You can give or change your feedback
for {feedback_days()} days after the workshop ends.</p>
<h2>Your rights, and how to use them</h2>
<p>Every e-mail about your registration carries your personal link. From it you can:</p>
<ul>
<li><b>see</b> your registration and everything we keep about you (“Your data”), and download it as a file;</li>
<li><b>cancel</b> your registration: your place goes to the next person waiting;</li>
<li><b>delete</b> your data at once: your registration is cancelled if it still holds or awaits a place, your
details are deleted as above, and the link stops working.</li>
</ul>
<p>Your link works until your data is deleted, {retention} days after the workshop. Lost it? “Already
registered?” on the workshop's page sends your links again to the address you registered with. To
<b>correct</b> a detail, to stop appearing on the public list, or for any other request about your data, write to
the Secretariat at {mail_link(email)}.</p>
<h2>Accounts and API tokens</h2>
<p>Staff of the Secretariat and members' focal points have an account to edit the site: a user name, name,
e-mail address and password (stored only as a secure hash), and the groups that say what they may edit. The
history of each page keeps who changed what, and when. A token for the open-data API belongs to an account and
writes with that account's rights; the Secretariat creates and deletes tokens.</p>
<p>To protect accounts from password guessing, the site records failed sign-ins with the user name, internet
address and browser, and locks a user name out from an address after {settings.AXES_FAILURE_LIMIT} failures,
for {lockout_minutes} minutes; these records are cleared after that time or at the next successful sign-in.
Successful sign-ins are logged with the internet address and browser, as a security record, until an
administrator clears that log. To close an account or delete its token, write to the Secretariat.</p>
<h2>Cookies</h2>
<p>The site sets no cookie for tracking or advertising and loads nothing from other sites. It uses a cookie to
remember the language you choose (for {language_cookie_days} days), a security cookie on pages with a form, and
a session cookie when you sign in.</p>{rate_limit}
<h2>Questions</h2>
<p>Write to the Secretariat at {mail_link(email)}, or see {page_link(links["contact"], "Contact")}.</p>
""",
    )


#: The pages `setup_site` writes, by role: their slug, and the function that writes their text from the ids of
#: the pages it links.
PAGES = {
    InformationPageRole.ABOUT: ("about", about),
    InformationPageRole.CONTACT: ("contact", contact),
    InformationPageRole.PRIVACY: ("privacy", privacy),
}
