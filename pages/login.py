"""登录: where any account logs in, also when viewing needs no login; a district account then sees
only its district on every page. A logged-in user sees who they are and can log out."""

from cockpit.web import access, widgets

widgets.heading("登录")
access.login_page()
