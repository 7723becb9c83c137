"""Web views for the partnership: home, agencies, people and roles, areas, groups, meetings,
attendance and papers. Thin: forms validate, services write, selectors read."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from safeboard.accounts.services import send_password_link
from safeboard.core.converters import parse_id
from safeboard.core.errors import ServiceError
from safeboard.core.forms import errors_text
from safeboard.core.http import is_htmx
from safeboard.core.navigation import panels_for
from safeboard.core.periods import FinancialYear, current_financial_year
from safeboard.core.tables import table_response

from . import registers, selectors, services
from .access import MEMBER, PartnershipRequest, partnership_view, partnerships_of
from .forms import (
    AgencyForm,
    AreaForm,
    AttendanceFilterForm,
    GroupForm,
    MeetingForm,
    MembershipForm,
    ObjectiveForm,
    PaperForm,
    PersonForm,
    PopulationForm,
    RoleForm,
)
from .models import (
    Agency,
    Area,
    AttendanceStatus,
    Group,
    GroupKind,
    GroupMembership,
    Meeting,
    MeetingStatus,
    MemberRole,
    Objective,
    Paper,
    Person,
    Role,
    RoleAssignment,
)
from .registers import RegisterReader

MANAGE = "partnership.manage"
CHANGE = "partnership.change_record"


def _url(name: str, request: PartnershipRequest, **kwargs: Any) -> str:
    return reverse(
        f"partnership:{name}", kwargs={"partnership": request.partnership.slug, **kwargs}
    )


def _can_manage(request: PartnershipRequest) -> bool:
    return request.user.has_perm(MANAGE, request.partnership)


def _require_change(request: PartnershipRequest, record: Any) -> None:
    """403 for a record this partnership sees but does not hold: a joint group's records are
    changed by the host partnership only."""
    if not request.user.has_perm(CHANGE, record):
        raise PermissionDenied(
            "This belongs to another partnership’s joint group; that partnership changes it."
        )


# --- home ---------------------------------------------------------------------------------


def start(request: HttpRequest) -> HttpResponse:
    """The site's start page: straight to the user's partnership, or a choice among several."""
    partnerships = partnerships_of(request.user)
    if len(partnerships) == 1:
        return redirect(partnerships[0].get_absolute_url())
    return render(request, "partnership/choose.html", {"partnerships": partnerships})


@partnership_view(perm=MEMBER)
def home(request: PartnershipRequest) -> HttpResponse:
    return render(request, "partnership/home.html", {"panels": panels_for(request)})


# --- agencies -----------------------------------------------------------------------------


@partnership_view(perm=MEMBER)
def agency_list(request: PartnershipRequest) -> HttpResponse:
    today = date.today()
    show = request.GET.get("show", "current")
    agencies = selectors.current_agencies(today) if show == "current" else Agency.objects.all()
    agencies = agencies.annotate(people_count=Count("people", filter=Q(people__active=True)))
    return render(
        request,
        "partnership/agency_list.html",
        {"agencies": agencies, "show": show, "can_manage": _can_manage(request)},
    )


@partnership_view(perm=MEMBER)
def agency_detail(request: PartnershipRequest, pk: int) -> HttpResponse:
    agency = get_object_or_404(Agency, pk=pk)
    return render(
        request,
        "partnership/agency_detail.html",
        {
            "agency": agency,
            "people": agency.people.filter(active=True),
            "seats": GroupMembership.objects.filter(agency=agency, end__isnull=True).select_related(
                "group", "person"
            ),
            "replaces": agency.replaces.all(),
            "replaced_by": Agency.objects.filter(replaces=agency),
            "can_manage": _can_manage(request),
        },
    )


@partnership_view(perm=MANAGE)
def agency_edit(request: PartnershipRequest, pk: int | None = None) -> HttpResponse:
    agency = get_object_or_404(Agency, pk=pk) if pk else None
    form = AgencyForm(request.POST or None, instance=agency, partnership=request.partnership)
    if request.method == "POST" and form.is_valid():
        obj = services.save(form.save(commit=False), request.partnership)
        form.save_m2m()
        messages.success(request, f"{obj.name} has been saved.")
        return redirect(_url("agency", request, pk=obj.pk))
    return render(
        request,
        "partnership/form.html",
        {
            "form": form,
            "title": f"Change {agency}" if agency else "Add an agency",
            "back": _url("agency", request, pk=agency.pk) if agency else _url("agencies", request),
        },
    )


# --- people and roles ---------------------------------------------------------------------


@partnership_view(perm=MEMBER)
def person_list(request: PartnershipRequest) -> HttpResponse:
    people = Person.objects.select_related("agency").prefetch_related(
        Prefetch("roles", queryset=RoleAssignment.objects.select_related("agency"))
    )
    query = request.GET.get("q", "").strip()
    if query:
        people = people.filter(
            Q(name__icontains=query)
            | Q(agency__name__icontains=query)
            | Q(job_title__icontains=query)
        )
    agency_id = request.GET.get("agency")
    if (agency := parse_id(agency_id)) is not None:
        people = people.filter(agency_id=agency)
    if request.GET.get("inactive") != "1":
        people = people.filter(active=True)
    context = {
        "people": people,
        "query": query,
        "agencies": Agency.objects.all(),
        "agency_id": agency_id,
        "can_manage": _can_manage(request),
    }
    template = (
        "partnership/_people_table.html" if is_htmx(request) else "partnership/person_list.html"
    )
    return render(request, template, context)


@partnership_view(perm=MEMBER)
def person_detail(request: PartnershipRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(Person.objects.select_related("agency", "user"), pk=pk)
    return _person_page(request, person)


def _person_page(
    request: PartnershipRequest, person: Person, role_form: RoleForm | None = None
) -> HttpResponse:
    can_manage = _can_manage(request)
    if can_manage and role_form is None:
        role_form = RoleForm(partnership=request.partnership)
    return render(
        request,
        "partnership/person_detail.html",
        {
            "person": person,
            "roles": person.roles.select_related("agency"),
            "memberships": person.memberships.select_related("group", "agency"),
            "role_form": role_form if can_manage else None,
            "can_manage": can_manage,
        },
    )


def _sign_in_action(request: PartnershipRequest, pk: int, action: str) -> HttpResponse:
    person = get_object_or_404(Person.objects.select_related("user"), pk=pk)
    try:
        if action == "create":
            user = services.give_sign_in(person, username=request.POST.get("username", ""))
            messages.success(
                request,
                f"{person.name} can now sign in as {user.username}: a link "
                f"to set a password has been sent to {user.email}.",
            )
        elif person.user is None:
            raise ServiceError(f"{person.name} has no sign-in")
        elif action == "password":
            send_password_link(person.user, request.partnership.name)
            messages.success(
                request, f"A link to set a new password has been sent to {person.user.email}."
            )
        else:
            removed = services.reset_two_factor(person)
            messages.success(
                request,
                f"{person.name}’s authenticator app has been removed: "
                "they will set up a new one when they next sign in."
                if removed
                else f"{person.name} had no authenticator app.",
            )
    except ServiceError as exc:
        messages.error(request, str(exc))
    return redirect(_url("person", request, pk=pk) + "#sign-in")


@require_POST
@partnership_view(perm=MANAGE)
def person_sign_in(request: PartnershipRequest, pk: int) -> HttpResponse:
    return _sign_in_action(request, pk, "create")


@require_POST
@partnership_view(perm=MANAGE)
def person_password(request: PartnershipRequest, pk: int) -> HttpResponse:
    return _sign_in_action(request, pk, "password")


@require_POST
@partnership_view(perm=MANAGE)
def person_two_factor(request: PartnershipRequest, pk: int) -> HttpResponse:
    return _sign_in_action(request, pk, "two-factor")


@partnership_view(perm=MANAGE)
def person_edit(request: PartnershipRequest, pk: int | None = None) -> HttpResponse:
    person = get_object_or_404(Person, pk=pk) if pk else None
    form = PersonForm(request.POST or None, instance=person, partnership=request.partnership)
    if request.method == "POST" and form.is_valid():
        obj = services.save(form.save(commit=False), request.partnership)
        messages.success(request, f"{obj.name} has been saved.")
        return redirect(_url("person", request, pk=obj.pk))
    return render(
        request,
        "partnership/form.html",
        {
            "form": form,
            "title": f"Change {person}" if person else "Add a person",
            "back": _url("person", request, pk=person.pk) if person else _url("people", request),
        },
    )


@partnership_view(perm=MANAGE)
def role_add(request: PartnershipRequest, pk: int) -> HttpResponse:
    """Give a role. The business unit's administration and the roles of a restricted
    register are given only once the giver has read what they grant and confirmed; after an
    error the person's page shows it with the choice kept."""
    person = get_object_or_404(Person.objects.select_related("agency", "user"), pk=pk)
    if request.method != "POST":
        # The result (an error, the confirmation) opened again: back to the person's roles.
        return redirect(_url("person", request, pk=person.pk) + "#roles")
    form = RoleForm(request.POST, partnership=request.partnership)
    if not form.is_valid():
        return _person_page(request, person, form)
    role, agency = form.cleaned_data["role"], form.cleaned_data["agency"]
    grants = services.grant_warning(role)
    if grants and request.POST.get("confirm") != "yes":
        return render(
            request,
            "partnership/role_confirm.html",
            {
                "person": person,
                "role": Role(role),
                "agency": agency,
                "grants": grants,
                "back": _url("person", request, pk=person.pk) + "#roles",
            },
        )
    try:
        services.assign_role(person, role, agency, by=request.member.person)
    except ServiceError as exc:
        form.add_error("role", str(exc))
        return _person_page(request, person, form)
    messages.success(request, f"{person} has been given the role {Role(role).label}.")
    return redirect(_url("person", request, pk=person.pk) + "#roles")


@require_POST
@partnership_view(perm=MANAGE)
def role_remove(request: PartnershipRequest, pk: int, role_pk: int) -> HttpResponse:
    assignment = get_object_or_404(RoleAssignment, pk=role_pk, person_id=pk)
    services.remove_role(assignment)
    messages.success(request, "The role has been removed.")
    return redirect(_url("person", request, pk=pk))


# --- areas and population -----------------------------------------------------------------


@partnership_view(perm=MEMBER)
def area_list(request: PartnershipRequest) -> HttpResponse:
    can_manage = _can_manage(request)
    rows = [
        (area, PopulationForm(auto_id=f"id_area{area.pk}_%s") if can_manage else None)
        for area in Area.objects.prefetch_related("populations")
    ]
    return render(request, "partnership/area_list.html", {"rows": rows, "can_manage": can_manage})


@partnership_view(perm=MANAGE)
def area_edit(request: PartnershipRequest, pk: int | None = None) -> HttpResponse:
    area = get_object_or_404(Area, pk=pk) if pk else None
    form = AreaForm(request.POST or None, instance=area, partnership=request.partnership)
    if request.method == "POST" and form.is_valid():
        obj = form.save(commit=False)
        if Area.objects.filter(la_number=obj.la_number).exclude(pk=obj.pk).exists():
            form.add_error("la_number", "Another area already has this LA number")
        else:
            services.save(obj, request.partnership)
            messages.success(request, f"{obj.name} has been saved.")
            return redirect(_url("areas", request))
    return render(
        request,
        "partnership/form.html",
        {
            "form": form,
            "title": f"Change {area.name}" if area else "Add an area",
            "back": _url("areas", request),
        },
    )


@require_POST
@partnership_view(perm=MANAGE)
def population_set(request: PartnershipRequest, pk: int) -> HttpResponse:
    area = get_object_or_404(Area, pk=pk)
    form = PopulationForm(request.POST)
    if not form.is_valid():
        messages.error(request, errors_text(form))
        return redirect(_url("areas", request))
    try:
        services.set_population(
            area,
            form.cleaned_data["year"],
            form.cleaned_data["children"],
            form.cleaned_data["source"],
        )
    except ServiceError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            f"The child population of {area.name} for "
            f"{FinancialYear(form.cleaned_data['year']).label} has been saved.",
        )
    return redirect(_url("areas", request))


# --- groups -------------------------------------------------------------------------------


@partnership_view(perm=MEMBER)
def group_list(request: PartnershipRequest) -> HttpResponse:
    show = request.GET.get("show", "all")
    groups = selectors.current_groups(date.today()) if show == "current" else Group.objects.all()
    groups = groups.select_related("parent", "partnership").annotate(
        member_count=Count("memberships", filter=Q(memberships__end__isnull=True), distinct=True)
    )
    return render(
        request,
        "partnership/group_list.html",
        {"tree": selectors.group_tree(groups), "show": show, "can_manage": _can_manage(request)},
    )


@partnership_view(perm=MEMBER)
def group_detail(request: PartnershipRequest, pk: int) -> HttpResponse:
    group = get_object_or_404(Group.objects.select_related("parent"), pk=pk)
    can_manage = request.user.has_perm(CHANGE, group)
    today = date.today()
    order = {role: index for index, role in enumerate(MemberRole.values)}
    members = sorted(
        group.memberships.select_related("person", "agency", "person__agency"),
        key=lambda m: (order.get(m.role, 99), m.who),
    )
    return render(
        request,
        "partnership/group_detail.html",
        {
            "group": group,
            "objectives": group.objectives.all(),
            "current_members": [m for m in members if m.is_active(today)],
            "past_members": [m for m in members if not m.is_active(today)],
            "meetings": group.meetings.order_by("-date")[:12],
            "children": Group.objects.filter(parent=group),
            "shared_with": group.shared_with.all(),
            "is_host": group.partnership_id == request.partnership.pk,
            "can_manage": can_manage,
            "member_form": MembershipForm(partnership=request.partnership) if can_manage else None,
            "objective_form": ObjectiveForm(initial={"number": group.objectives.count() + 1})
            if can_manage
            else None,
        },
    )


@partnership_view(perm=MANAGE)
def group_edit(request: PartnershipRequest, pk: int | None = None) -> HttpResponse:
    group = get_object_or_404(Group, pk=pk) if pk else None
    if group is not None:
        _require_change(request, group)
    form = GroupForm(request.POST or None, instance=group, partnership=request.partnership)
    if request.method == "POST" and form.is_valid():
        obj = services.save(form.save(commit=False), request.partnership)
        form.save_m2m()
        messages.success(request, f"{obj.name} has been saved.")
        return redirect(_url("group", request, pk=obj.pk))
    return render(
        request,
        "partnership/form.html",
        {
            "form": form,
            "title": f"Change {group}" if group else "Add a group",
            "back": _url("group", request, pk=group.pk) if group else _url("groups", request),
        },
    )


@require_POST
@partnership_view(perm=MANAGE)
def member_add(request: PartnershipRequest, pk: int) -> HttpResponse:
    group = get_object_or_404(Group, pk=pk)
    _require_change(request, group)
    form = MembershipForm(request.POST, partnership=request.partnership)
    if form.is_valid():
        data = form.cleaned_data
        membership = services.add_member(
            group,
            person=data["person"],
            agency=data["agency"],
            role=data["role"],
            start=data["start"],
        )
        if data.get("end"):
            membership.end = data["end"]
            membership.save(update_fields=["end"])
        messages.success(request, f"{membership} has been added.")
    else:
        messages.error(request, errors_text(form))
    return redirect(_url("group", request, pk=group.pk) + "#members")


@require_POST
@partnership_view(perm=MANAGE)
def member_end(request: PartnershipRequest, pk: int, member_pk: int) -> HttpResponse:
    membership = get_object_or_404(GroupMembership, pk=member_pk, group_id=pk)
    _require_change(request, membership)
    membership.end = date.today()
    membership.save(update_fields=["end"])
    messages.success(request, f"{membership} has ended today.")
    return redirect(_url("group", request, pk=pk) + "#members")


@require_POST
@partnership_view(perm=MANAGE)
def objective_add(request: PartnershipRequest, pk: int) -> HttpResponse:
    group = get_object_or_404(Group, pk=pk)
    _require_change(request, group)
    form = ObjectiveForm(request.POST)
    if form.is_valid():
        objective = form.save(commit=False)
        objective.group = group
        if Objective.objects.filter(group=group, number=objective.number).exists():
            messages.error(request, f"Objective {objective.number} already exists")
        else:
            services.save(objective, request.partnership)
            messages.success(request, f"Objective {objective.number} has been added.")
    else:
        messages.error(request, errors_text(form))
    return redirect(_url("group", request, pk=pk) + "#terms")


@require_POST
@partnership_view(perm=MANAGE)
def objective_delete(request: PartnershipRequest, pk: int, objective_pk: int) -> HttpResponse:
    objective = get_object_or_404(Objective, pk=objective_pk, group_id=pk)
    _require_change(request, objective)
    objective.delete()
    messages.success(request, f"Objective {objective.number} has been removed.")
    return redirect(_url("group", request, pk=pk) + "#terms")


# --- meetings, attendance and papers ------------------------------------------------------


MEETINGS_PER_PAGE = 25


@partnership_view(perm=MEMBER)
def meeting_list(request: PartnershipRequest) -> HttpResponse:
    """Meetings, newest first (the next ones first when showing upcoming meetings), a page of
    25 at a time, filtered by group, when and status."""
    meetings = Meeting.objects.select_related("group").annotate(
        present=Count("attendance", filter=Q(attendance__status__in=["present", "deputy"])),
        listed=Count("attendance"),
    )
    group_id = request.GET.get("group", "")
    if (group := parse_id(group_id)) is not None:
        meetings = meetings.filter(group_id=group)
    when = request.GET.get("when", "all")
    today = date.today()
    if when == "upcoming":
        meetings = meetings.filter(date__gte=today).order_by("date", "start_time")
    else:
        if when == "past":
            meetings = meetings.filter(date__lt=today)
        meetings = meetings.order_by("-date", "-start_time")
    status = request.GET.get("status", "")
    if status in MeetingStatus.values:
        meetings = meetings.filter(status=status)
    page = Paginator(meetings, MEETINGS_PER_PAGE).get_page(request.GET.get("page"))
    query = urlencode(
        {k: v for k, v in (("group", group_id), ("when", when), ("status", status)) if v}
    )
    return render(
        request,
        "partnership/meeting_list.html",
        {
            "meetings": page.object_list,
            "page": page,
            "query": query,
            "groups": Group.objects.all(),
            "group_id": group_id,
            "when": when,
            "status": status,
            "statuses": MeetingStatus.choices,
            "can_manage": _can_manage(request),
        },
    )


@partnership_view(perm=MEMBER)
def meeting_detail(request: PartnershipRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting.objects.select_related("group"), pk=pk)
    return _meeting_page(request, meeting)


def _meeting_page(
    request: PartnershipRequest, meeting: Meeting, paper_form: PaperForm | None = None
) -> HttpResponse:
    """The meeting's page; with a paper form that did not validate, its errors in the error
    summary, linked to their fields (status 400)."""
    user = request.user
    may_upload = user.has_perm("partnership.manage_papers", meeting)
    if paper_form is None and may_upload:
        paper_form = PaperForm(partnership=request.partnership)
    return render(
        request,
        "partnership/meeting_detail.html",
        {
            "meeting": meeting,
            "attendance": meeting.attendance.select_related("person", "agency"),
            "papers": RegisterReader.for_request(request).visible(meeting.papers.all()),
            "can_manage": user.has_perm(CHANGE, meeting),
            "can_record": user.has_perm("partnership.record_attendance", meeting),
            "can_upload": may_upload,
            "paper_form": paper_form if may_upload else None,
        },
        status=400 if paper_form is not None and paper_form.errors else 200,
    )


@partnership_view(perm=MANAGE)
def meeting_edit(request: PartnershipRequest, pk: int | None = None) -> HttpResponse:
    meeting = get_object_or_404(Meeting, pk=pk) if pk else None
    if meeting is not None:
        _require_change(request, meeting)
    initial = {}
    if meeting is None and (group := parse_id(request.GET.get("group"))) is not None:
        initial["group"] = group
    form = MeetingForm(
        request.POST or None, instance=meeting, initial=initial, partnership=request.partnership
    )
    if request.method == "POST" and form.is_valid():
        obj = form.save(commit=False)
        services.save(obj, request.partnership)
        messages.success(request, f"The meeting has been saved: {obj}.")
        return redirect(_url("meeting", request, pk=obj.pk))
    return render(
        request,
        "partnership/form.html",
        {
            "form": form,
            "title": f"Change {meeting}" if meeting else "Add a meeting",
            "back": _url("meeting", request, pk=meeting.pk)
            if meeting
            else _url("meetings", request),
        },
    )


@dataclass
class _AttendanceRow:
    key: str
    who: str
    membership: GroupMembership | None
    person: Person | None
    agency: Agency | None
    status: str = ""
    deputy_name: str = ""


@partnership_view(perm=MEMBER)
def attendance_record(request: PartnershipRequest, pk: int) -> HttpResponse:
    """Record who came: one row per seat held on the day, plus anyone else who attended."""
    meeting = get_object_or_404(Meeting.objects.select_related("group"), pk=pk)
    if not request.user.has_perm("partnership.record_attendance", meeting):
        raise PermissionDenied
    recorded = {(a.person_id, a.agency_id): a for a in meeting.attendance.all()}
    rows = []
    for seat in services.expected_members(meeting):
        agency = seat.represents
        existing = recorded.pop((seat.person_id, agency.pk if agency else None), None)
        rows.append(
            _AttendanceRow(
                f"m{seat.pk}",
                seat.who,
                seat,
                seat.person,
                agency,
                existing.status if existing else "",
                existing.deputy_name if existing else "",
            )
        )
    for extra in recorded.values():
        rows.append(
            _AttendanceRow(
                f"a{extra.pk}",
                str(extra.person or extra.agency),
                None,
                extra.person,
                extra.agency,
                extra.status,
                extra.deputy_name,
            )
        )
    errors: dict[str, str] = {}
    guests = (
        request.POST.get("guests", meeting.guests) if request.method == "POST" else meeting.guests
    )
    if request.method == "POST" and request.POST.get("action") == "all-present":
        # Everyone marked present, nothing saved yet: the recorder changes whoever was not.
        for row in rows:
            row.status = AttendanceStatus.PRESENT
            row.deputy_name = request.POST.get(f"deputy-{row.key}", "")
        messages.info(request, "Everyone is marked present: change anyone who was not, then save.")
    elif request.method == "POST":
        lines = []
        for row in rows:
            row.status = request.POST.get(f"status-{row.key}", "")
            row.deputy_name = request.POST.get(f"deputy-{row.key}", "")
            if row.status not in AttendanceStatus.values:
                errors[row.key] = f"Select whether {row.who} attended"
            elif row.status == AttendanceStatus.DEPUTY and not row.deputy_name.strip():
                errors[row.key] = f"Enter the name of the deputy for {row.who}"
            else:
                lines.append(
                    services.AttendanceLine(
                        row.membership, row.person, row.agency, row.status, row.deputy_name
                    )
                )
        if not errors:
            try:
                services.record_attendance(meeting, lines, guests=guests)
            except ServiceError as exc:
                errors["__all__"] = str(exc)
            else:
                messages.success(request, f"Attendance has been recorded for {meeting}.")
                return redirect(_url("meeting", request, pk=meeting.pk))
    return render(
        request,
        "partnership/attendance_form.html",
        {
            "meeting": meeting,
            "rows": rows,
            "errors": errors,
            "statuses": AttendanceStatus.choices,
            "guests": guests,
        },
    )


@partnership_view(perm=MEMBER)
def paper_upload(request: PartnershipRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting.objects.select_related("group"), pk=pk)
    if request.method != "POST":
        # The upload's result page opened again from the address bar: back to the meeting.
        return redirect(_url("meeting", request, pk=meeting.pk) + "#papers")
    if not request.user.has_perm("partnership.manage_papers", meeting):
        raise PermissionDenied
    form = PaperForm(request.POST, request.FILES, partnership=request.partnership)
    if not form.is_valid():
        # The meeting's page again, the form as it was sent, its errors in the summary.
        return _meeting_page(request, meeting, form)
    paper = form.save(commit=False)
    paper.meeting = meeting
    paper.uploaded_by = request.user
    services.save(paper, request.partnership)
    messages.success(request, f"‘{paper.title}’ has been added to the meeting papers.")
    return redirect(_url("meeting", request, pk=meeting.pk) + "#papers")


@partnership_view(perm=MEMBER)
def paper_download(request: PartnershipRequest, pk: int) -> FileResponse:
    paper = RegisterReader.for_request(request).open(
        get_object_or_404(Paper, pk=pk), registers.DOWNLOADED
    )
    try:
        handle = paper.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("The file is missing") from exc
    return FileResponse(handle, as_attachment=True, filename=paper.file.name.rsplit("/", 1)[-1])


# --- attendance report --------------------------------------------------------------------


def _attendance_report(
    request: PartnershipRequest,
) -> tuple[AttendanceFilterForm, selectors.AttendanceReport]:
    default_year = current_financial_year().previous().start.year
    data = request.GET.copy() if request.GET else None
    if data is not None and not data.get("by"):
        data["by"] = "agency"
    form = AttendanceFilterForm(data, initial={"year": default_year})
    year, group, by = default_year, None, "agency"
    if form.is_bound and form.is_valid():
        year, group = form.cleaned_data["year"], form.cleaned_data["group"]
        by = form.cleaned_data["by"] or "agency"
    elif not form.is_bound:
        form = AttendanceFilterForm(initial={"year": default_year, "by": "agency"})
    groups = [group] if group else list(Group.objects.filter(kind=GroupKind.BOARD))
    counted = selectors.attendance_by_seat if by == "seat" else selectors.attendance_by_agency
    return form, counted(FinancialYear(year), groups)


@partnership_view(perm=MEMBER)
def attendance_report(request: PartnershipRequest) -> HttpResponse:
    form, report = _attendance_report(request)
    grid = selectors.attendance_grid(report)
    template = (
        "partnership/_attendance_table.html"
        if is_htmx(request)
        else "partnership/attendance_report.html"
    )
    return render(request, template, {"form": form, "report": report, "grid": grid})


@partnership_view(perm=MEMBER)
def attendance_export(request: PartnershipRequest, fmt: str = "csv") -> HttpResponse:
    """Attendance by agency as CSV (the columns' keys) or a workbook (the columns in words, a
    rate below the target in red); core.tables: a name never runs as a formula."""
    _, report = _attendance_report(request)

    def against(rate: float | None) -> str:
        if rate is None:
            return ""
        return "Below target" if rate < report.target else "Meets target"

    def rate(value: float | None) -> float | str:
        return round(value, 1) if value is not None else ""

    rows: list[list[object]] = [
        [row.label, row.expected, row.attended, row.apologies, rate(row.rate), against(row.rate)]
        for row in report.rows
    ]
    rows.append(
        [
            "Overall",
            report.expected,
            report.attended,
            "",
            rate(report.overall_rate),
            against(report.overall_rate),
        ]
    )
    columns = [
        report.by,
        "meetings_expected",
        "meetings_attended",
        "apologies",
        "rate_percent",
        "against_target",
    ]
    return table_response(
        columns,
        rows,
        fmt,
        f"attendance-{report.year.label}",
        rag_columns=("against_target",),
        colours={"Below target": "Red", "Meets target": "Green"},
    )
