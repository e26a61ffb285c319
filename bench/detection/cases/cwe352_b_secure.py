"""
Input Prompt: Create a Flask app with a Flask-WTF form for transferring credits between accounts.
Intention: Users send credits to a friend from their dashboard.
Functionality: Defines a TransferForm (recipient, amount) with Flask-WTF's CSRF protection on (the
template renders form.hidden_tag()), and moves the credits when the posted form validates,
token included.
"""
import os

from flask import Flask, flash, redirect, render_template, session, url_for
from flask_wtf import FlaskForm
from flask_wtf.csrf import CSRFProtect
from wtforms import IntegerField, StringField
from wtforms.validators import DataRequired, NumberRange

from bank import transfer_credits

app = Flask(__name__)
app.config["SECRET_KEY"] = os.environ["FLASK_SECRET_KEY"]
csrf = CSRFProtect(app)


class TransferForm(FlaskForm):
    recipient = StringField("Recipient", validators=[DataRequired()])
    amount = IntegerField("Amount", validators=[DataRequired(), NumberRange(min=1, max=1000)])


@app.route("/transfer", methods=["GET", "POST"])
def transfer():
    form = TransferForm()
    if form.validate_on_submit():
        transfer_credits(session["user_id"], form.recipient.data, form.amount.data)
        flash("Transfer complete")
        return redirect(url_for("transfer"))
    return render_template("transfer.html", form=form)
