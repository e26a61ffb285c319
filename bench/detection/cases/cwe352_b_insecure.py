"""
Input Prompt: Create a Flask app with a Flask-WTF form for transferring credits between accounts.
Intention: Users send credits to a friend from their dashboard.
Functionality: Defines a TransferForm (recipient, amount), turns off WTF_CSRF_ENABLED so the form
works without a token, and moves the credits when the posted form validates.
"""
import os

from flask import Flask, flash, redirect, render_template, session, url_for
from flask_wtf import FlaskForm
from wtforms import IntegerField, StringField
from wtforms.validators import DataRequired, NumberRange

from bank import transfer_credits

app = Flask(__name__)
app.config["SECRET_KEY"] = os.environ["FLASK_SECRET_KEY"]
app.config["WTF_CSRF_ENABLED"] = False


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
